using System.Buffers;
using System.Buffers.Binary;

namespace ArgoEtl.Etl.Output.ParquetMetadata;

/// <summary>
/// The frame of a Parquet file: "PAR1", the pages, the footer (FileMetaData), its length in 4 bytes, "PAR1". Shared by
/// what writes files (<see cref="ParquetBatchWriter"/>, <see cref="ParquetPartStitcher"/>) and what reads the ones
/// Parquet.Net and the workers write back.
/// </summary>
internal static class ParquetFrame
{
    public const int MagicLength = 4;

    // "PAR1", the footer (at least its stop byte), its 4-byte length and "PAR1" again.
    private const int SmallestFileLength = MagicLength + 1 + 4 + MagicLength;

    /// <summary>"PAR1", as memory so that it can be written to a stream asynchronously.</summary>
    public static ReadOnlyMemory<byte> Magic { get; } = "PAR1"u8.ToArray();

    /// <summary>
    /// Where the footer of a complete file lies; a file without PAR1 at both ends, or whose footer length does not fit
    /// it, is malformed. <paramref name="what"/> names the file in the message ("a part").
    /// </summary>
    public static Range FindFooter(ReadOnlySpan<byte> file, string what)
    {
        if (file.Length < SmallestFileLength || !file[..MagicLength].SequenceEqual(Magic.Span) || !file[^MagicLength..].SequenceEqual(Magic.Span))
        {
            throw ThriftCompact.Malformed($"{what} is not a complete Parquet file (no PAR1 at its start or end)");
        }

        int footerLength = BinaryPrimitives.ReadInt32LittleEndian(file[^(MagicLength + 4)..^MagicLength]);
        if (footerLength <= 0 || footerLength > file.Length - (2 * MagicLength) - 4)
        {
            throw ThriftCompact.Malformed($"{what}'s footer length {footerLength} does not fit its {file.Length} bytes");
        }

        int footerStart = file.Length - MagicLength - 4 - footerLength;
        return footerStart..(footerStart + footerLength);
    }

    /// <summary>Ends a footer written to <paramref name="footer"/> (and nothing else) with its length and "PAR1".</summary>
    public static void EndFooter(ArrayBufferWriter<byte> footer)
    {
        ThriftCompact.WriteInt32LittleEndian(footer, footer.WrittenCount);
        footer.Write(Magic.Span);
    }
}
