using System.Text;

namespace ArgoEtl.Etl.Csv;

/// <summary>
/// The text of one <see cref="RecordChunk"/> for the CSV parser, decoded from UTF-8 straight into the parser's buffer.
/// One per worker, reset for each chunk: a StreamReader per chunk allocated 192 KB of buffers each time, which the
/// runtime keeps on the large object heap until a full collection, and the process's memory grew with the file.
/// Invalid UTF-8 becomes U+FFFD, as with a StreamReader. Disposing it (the parser does, with each chunk) does nothing.
/// </summary>
internal sealed class Utf8ChunkReader : TextReader
{
    private readonly Decoder _decoder = new UTF8Encoding(false).GetDecoder();
    private byte[] _bytes = [];
    private int _position;
    private int _end;

    // A character outside the BMP is two chars, and the decoder refuses to split it: when the parser asks for one char
    // (it does, to see what follows a CR), the pair is decoded here and handed out one char at a time.
    private readonly char[] _pending = new char[2];
    private int _pendingStart;
    private int _pendingCount;

    public void Reset(RecordChunk chunk)
    {
        _bytes = chunk.Buffer;
        _position = 0;
        _end = chunk.Length;
        _decoder.Reset();
        _pendingCount = 0;
    }

    public override int Read(Span<char> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        if (_pendingCount > 0)
        {
            buffer[0] = _pending[_pendingStart++];
            _pendingCount--;
            return 1;
        }

        if (_position >= _end)
        {
            return 0;
        }

        if (buffer.Length == 1)
        {
            _pendingCount = Decode(_pending);
            _pendingStart = 0;
            return _pendingCount == 0 ? 0 : Read(buffer);
        }

        return Decode(buffer);
    }

    private int Decode(Span<char> buffer)
    {
        // flush: the chunk holds whole records, so its bytes are all the input there is for this decoder.
        _decoder.Convert(_bytes.AsSpan(_position, _end - _position), buffer, flush: true, out int bytesUsed, out int charsUsed, out _);
        _position += bytesUsed;
        return charsUsed;
    }

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override int Read() => throw new NotSupportedException("The CSV parser reads blocks.");

    public override int Peek() => throw new NotSupportedException("The CSV parser reads blocks.");

    // Owned by the worker, not by the parser that disposes it after each chunk: nothing to let go of either way.
    protected override void Dispose(bool disposing) => base.Dispose(disposing);
}
