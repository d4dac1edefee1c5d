using System.Buffers;

namespace ArgoEtl.Etl.Output.ParquetMetadata;

/// <summary>
/// The stream Parquet.Net writes to: it follows the file as Parquet.Net lays it out (magic, then per column chunk a
/// page header followed by that many page bytes, then the footer), passes page bytes straight through, and writes
/// each page header and the footer re-encoded by <see cref="ParquetStatisticsRewriter"/>. It is forward-only, so
/// Parquet.Net counts positions itself (as in its own output) and the rewriter maps them. Cost: one parse of each
/// header (one per column per row group) and of the footer; page data is not touched.
/// The owner calls <see cref="BeginFooter"/> before disposing the Parquet.Net writer and <see cref="CompleteAsync"/>
/// after, or <see cref="Abandon"/> on failure. The inner stream is not disposed.
/// </summary>
internal sealed class StatisticsCappingStream : Stream
{
    private static readonly byte[] Magic = "PAR1"u8.ToArray();

    // A buffer kept between headers; one that grew past this for a huge header is let go instead of kept.
    private const int RetainedBufferBytes = 1 << 20;

    private enum State
    {
        Magic,
        Header,
        PageData,
        Footer,
        PassThrough,
    }

    private readonly Stream _inner;
    private readonly ParquetStatisticsRewriter _rewriter;
    private ArrayBufferWriter<byte> _pending = new();
    private ArrayBufferWriter<byte> _rewritten = new();
    private State _state = State.Magic;
    private long _position;
    // Parquet.Net's position of the first byte not yet written out: where the next header starts.
    private long _processed;
    private long _pageBytesLeft;

    public StatisticsCappingStream(Stream inner, int maxStatisticsBytes, IReadOnlyList<ColumnAnnotation>? annotations = null)
    {
        _inner = inner;
        _rewriter = new ParquetStatisticsRewriter(maxStatisticsBytes, annotations);
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    /// <summary>Bytes received from Parquet.Net, which is where Parquet.Net believes it is.</summary>
    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    /// <summary>What follows is the footer; it is held until <see cref="CompleteAsync"/>.</summary>
    public void BeginFooter()
    {
        if (_state is not (State.Header or State.Magic) || _pending.WrittenCount != 0)
        {
            throw ThriftCompact.Malformed($"footer started inside a page ({_state})");
        }

        _state = State.Footer;
    }

    /// <summary>Writes the held footer, re-encoded, with its length and the closing magic.</summary>
    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        if (_state != State.Footer)
        {
            throw ThriftCompact.Malformed("no footer");
        }

        ReadOnlyMemory<byte> held = _pending.WrittenMemory;
        if (held.Length < 8 || !held.Span[^4..].SequenceEqual(Magic))
        {
            throw ThriftCompact.Malformed("footer without magic");
        }

        int footerLength = BitConverter.ToInt32(held.Span[^8..^4]);
        if (footerLength != held.Length - 8)
        {
            throw ThriftCompact.Malformed("footer length");
        }

        _rewritten.ResetWrittenCount();
        _rewriter.RewriteFooter(held.Span[..footerLength], _rewritten);
        int newLength = _rewritten.WrittenCount;
        ThriftCompact.WriteInt32LittleEndian(_rewritten, newLength);
        _rewritten.Write(Magic);
        await _inner.WriteAsync(_rewritten.WrittenMemory, cancellationToken).ConfigureAwait(false);
        await _inner.FlushAsync(cancellationToken).ConfigureAwait(false);
        _pending = new ArrayBufferWriter<byte>();
        _state = State.PassThrough;
    }

    /// <summary>After a failure: whatever Parquet.Net still writes goes through unchanged (the output is discarded).</summary>
    public void Abandon() => _state = State.PassThrough;

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        // Parquet.Net writes asynchronously; a synchronous write has the same effect, done synchronously.
        byte[] copy = buffer.ToArray();
        WriteAsync(copy, CancellationToken.None).AsTask().GetAwaiter().GetResult();
    }

    public override void WriteByte(byte value) => Write([value]);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _position += buffer.Length;
        while (!buffer.IsEmpty)
        {
            switch (_state)
            {
                case State.Magic:
                    {
                        // The file's first four bytes; positions in the footer count from the start of the file.
                        int take = Math.Min(Magic.Length - (int)_processed, buffer.Length);
                        await _inner.WriteAsync(buffer[..take], cancellationToken).ConfigureAwait(false);
                        _processed += take;
                        buffer = buffer[take..];
                        if (_processed == Magic.Length)
                        {
                            _state = State.Header;
                        }

                        break;
                    }

                case State.PageData:
                    {
                        int take = (int)Math.Min(_pageBytesLeft, buffer.Length);
                        await _inner.WriteAsync(buffer[..take], cancellationToken).ConfigureAwait(false);
                        _pageBytesLeft -= take;
                        _processed += take;
                        buffer = buffer[take..];
                        if (_pageBytesLeft == 0)
                        {
                            _state = State.Header;
                        }

                        break;
                    }

                case State.Header:
                    buffer = await TakeHeaderAsync(buffer, cancellationToken).ConfigureAwait(false);
                    break;

                case State.Footer:
                    _pending.Write(buffer.Span);
                    buffer = default;
                    break;

                default:
                    await _inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
                    buffer = default;
                    break;
            }
        }
    }

    public override void Flush()
    {
        // Held bytes (a header still arriving, the footer) are not part of the file yet; page bytes already went.
        _inner.Flush();
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    // Collects a page header until it is complete (Parquet.Net may write a long one in several pieces), writes it
    // re-encoded and returns the bytes after it.
    private async ValueTask<ReadOnlyMemory<byte>> TakeHeaderAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<byte> header;
        ReadOnlyMemory<byte> rest;
        int end = 0;
        if (_pending.WrittenCount == 0 && ThriftCompact.TrySkipStruct(buffer.Span, ref end))
        {
            header = buffer[..end];
            rest = buffer[end..];
        }
        else
        {
            _pending.Write(buffer.Span);
            end = 0;
            if (!ThriftCompact.TrySkipStruct(_pending.WrittenSpan, ref end))
            {
                return default;
            }

            header = _pending.WrittenMemory[..end];
            rest = _pending.WrittenMemory[end..].ToArray();
        }

        _rewritten.ResetWrittenCount();
        _pageBytesLeft = _rewriter.RewritePageHeader(header.Span, _processed, _rewritten);
        await _inner.WriteAsync(_rewritten.WrittenMemory, cancellationToken).ConfigureAwait(false);
        _processed += header.Length;
        Release(ref _pending);
        Release(ref _rewritten);
        _state = _pageBytesLeft == 0 ? State.Header : State.PageData;
        return rest;
    }

    private static void Release(ref ArrayBufferWriter<byte> buffer)
    {
        if (buffer.Capacity > RetainedBufferBytes)
        {
            buffer = new ArrayBufferWriter<byte>();
        }
        else
        {
            buffer.ResetWrittenCount();
        }
    }
}
