using System.Buffers;
using System.IO.Compression;
using Snappier;
using ZstdSharp;

namespace ArgoEtl.Etl.Output.ParquetEncoding;

/// <summary>
/// Compresses the pages encoded here (not by Parquet.Net) with the codec and level Parquet.Net uses for the same
/// option, so every column of a file is compressed alike: Snappy, Zstd at level 3 (Parquet.Net's level for
/// CompressionLevel.Optimal), gzip at Optimal. One per worker; the Zstd context is reused from page to page.
/// </summary>
internal sealed class PageCompressor : IDisposable
{
    private readonly ParquetCompression _compression;
    private Compressor? _zstd;

    public PageCompressor(ParquetCompression compression) => _compression = compression;

    /// <summary>parquet.thrift's CompressionCodec for the footer.</summary>
    public int Codec => _compression switch
    {
        ParquetCompression.Snappy => 1,
        ParquetCompression.Gzip => 2,
        ParquetCompression.Zstd => 6,
        _ => 0,
    };

    /// <summary>The page as it is stored: <paramref name="page"/> itself without compression, else written to <paramref name="output"/>.</summary>
    public ReadOnlySpan<byte> Compress(ReadOnlySpan<byte> page, ArrayBufferWriter<byte> output)
    {
        output.ResetWrittenCount();
        switch (_compression)
        {
            case ParquetCompression.Snappy:
                output.Advance(Snappy.Compress(page, output.GetSpan(Snappy.GetMaxCompressedLength(page.Length))));
                break;
            case ParquetCompression.Zstd:
                _zstd ??= new Compressor(Compressor.DefaultCompressionLevel);
                output.Advance(_zstd.Wrap(page, output.GetSpan(Compressor.GetCompressBound(page.Length))));
                break;
            case ParquetCompression.Gzip:
                using (var gzip = new GZipStream(new BufferWriterStream(output), CompressionLevel.Optimal))
                {
                    gzip.Write(page);
                }

                break;
            default:
                return page;
        }

        return output.WrittenSpan;
    }

    public void Dispose() => _zstd?.Dispose();

    // GZipStream writes to a Stream; this one appends to the buffer.
    private sealed class BufferWriterStream(ArrayBufferWriter<byte> output) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => output.WrittenCount;

        public override long Position
        {
            get => output.WrittenCount;
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer) => output.Write(buffer);

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
