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
    private MemoryStream? _gzip;

    public PageCompressor(ParquetCompression compression) => _compression = compression;

    /// <summary>parquet.thrift's CompressionCodec for the footer.</summary>
    public int Codec => _compression switch
    {
        ParquetCompression.Snappy => 1,
        ParquetCompression.Gzip => 2,
        ParquetCompression.Zstd => 6,
        _ => 0,
    };

    /// <summary>
    /// The page as it is stored, valid until the next call: <paramref name="page"/> itself without compression, else
    /// written to <paramref name="output"/> (gzip, which writes to a stream, to a reused one of its own).
    /// </summary>
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
                _gzip ??= new MemoryStream();
                _gzip.SetLength(0);
                using (var gzip = new GZipStream(_gzip, CompressionLevel.Optimal, leaveOpen: true))
                {
                    gzip.Write(page);
                }

                return _gzip.GetBuffer().AsSpan(0, (int)_gzip.Length);
            default:
                return page;
        }

        return output.WrittenSpan;
    }

    public void Dispose()
    {
        _zstd?.Dispose();
        _gzip?.Dispose();
    }
}
