using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using static ArgoEtl.Etl.Output.ParquetMetadata.ThriftCompact;

namespace ArgoEtl.Etl.Output.ParquetEncoding;

/// <summary>
/// Parquet's RLE / bit-packed hybrid encoding (parquet-format Encodings.md), for definition levels and dictionary
/// indexes: a run of at least eight equal values is one RLE run, and whatever lies between runs is bit-packed in
/// groups of eight. A column without nulls is therefore a single run of a few bytes, and a column with scattered nulls
/// costs a bit a row. Only the last group is padded (with zeros), because readers stop at the page's value count.
/// </summary>
internal static class RleBitPackedHybrid
{
    private const int GroupSize = 8;

    /// <summary>Bits needed for every value from 0 to <paramref name="maxValue"/>, at least one.</summary>
    public static int BitWidth(int maxValue) => Math.Max(1, 32 - BitOperations.LeadingZeroCount((uint)maxValue));

    /// <summary>Definition levels of a flat optional column (0 null, 1 value), preceded by their length in 4 bytes.</summary>
    public static void EncodeWithLength(ReadOnlySpan<int> values, int bitWidth, ArrayBufferWriter<byte> output)
    {
        output.GetSpan(4);
        output.Advance(4);
        int before = output.WrittenCount;
        Encode(values, bitWidth, output);
        WriteLengthAt(output, before - 4, output.WrittenCount - before);
    }

    public static void Encode(ReadOnlySpan<int> values, int bitWidth, ArrayBufferWriter<byte> output)
    {
        int byteWidth = (bitWidth + 7) / 8;
        int i = 0;
        while (i < values.Length)
        {
            int run = RunLength(values, i, values.Length - i);
            if (run >= GroupSize)
            {
                WriteVarint(output, (uint)run << 1);
                Span<byte> value = output.GetSpan(byteWidth);
                for (int b = 0; b < byteWidth; b++)
                {
                    value[b] = (byte)(values[i] >> (8 * b));
                }

                output.Advance(byteWidth);
                i += run;
                continue;
            }

            // Groups of eight up to a group start where a run of eight begins, or to the end.
            int end = i + GroupSize;
            while (end < values.Length && RunLength(values, end, GroupSize) < GroupSize)
            {
                end += GroupSize;
            }

            int groups = (end - i) / GroupSize;
            WriteVarint(output, ((uint)groups << 1) | 1);
            Pack(values[i..Math.Min(end, values.Length)], groups, bitWidth, output);
            i = end;
        }
    }

    // How many values from start on equal the one at start, counting at most limit.
    private static int RunLength(ReadOnlySpan<int> values, int start, int limit)
    {
        var window = values.Slice(start, Math.Min(limit, values.Length - start));
        int other = window.IndexOfAnyExcept(window[0]);
        return other < 0 ? window.Length : other;
    }

    // Eight values to every bitWidth bytes, least significant bit first; values past the end are zeros.
    private static void Pack(ReadOnlySpan<int> values, int groups, int bitWidth, ArrayBufferWriter<byte> output)
    {
        int bytes = groups * bitWidth;
        Span<byte> packed = output.GetSpan(bytes);
        int p = 0;
        ulong pending = 0;
        int pendingBits = 0;
        int count = groups * GroupSize;
        for (int v = 0; v < count; v++)
        {
            pending |= (ulong)(uint)(v < values.Length ? values[v] : 0) << pendingBits;
            pendingBits += bitWidth;
            while (pendingBits >= 8)
            {
                packed[p++] = (byte)pending;
                pending >>= 8;
                pendingBits -= 8;
            }
        }

        output.Advance(bytes);
    }

    private static void WriteLengthAt(ArrayBufferWriter<byte> output, int at, int length)
    {
        // ArrayBufferWriter exposes what was written as read-only; the 4 bytes reserved before are patched in place.
        var written = MemoryMarshal.AsMemory(output.WrittenMemory).Span;
        BinaryPrimitives.WriteInt32LittleEndian(written[at..], length);
    }

}
