using System.Buffers;
using static ArgoEtl.Etl.Output.ParquetMetadata.ThriftCompact;

namespace ArgoEtl.Etl.Output.ParquetMetadata;

/// <summary>
/// Copies footer structs (RowGroup, ColumnChunk, ColumnMetaData) field by field with every absolute file offset moved
/// by <see cref="Shift"/>: what pages were written at in one file, they are at plus the shift in another. Everything
/// else, known or not, is copied as raw bytes. Used where pages are moved whole: parts joined into one file
/// (<see cref="ParquetPartStitcher"/>) and Parquet.Net's column chunks taken into a row group written here
/// (<see cref="ParquetBatchWriter"/>). Field ids are those of parquet.thrift.
/// </summary>
internal sealed class FooterOffsetMover
{
    private readonly ArrayBufferWriter<byte> _output;

    public FooterOffsetMover(ArrayBufferWriter<byte> output) => _output = output;

    /// <summary>How far every offset moves.</summary>
    public long Shift { get; set; }

    /// <summary>Where the source's pages end: an offset must fall in 4..this, or the source is not what it claims.</summary>
    public long PagesEnd { get; set; }

    /// <summary>The ordinal the next RowGroup copied gets, if it has one.</summary>
    public int RowGroupOrdinal { get; set; }

    private enum Kind
    {
        Other,
        RowGroup,
        ColumnChunk,
        ColumnMetaData,
    }

    public void CopyRowGroup(ReadOnlySpan<byte> data, ref int pos, int depth) => CopyStruct(data, ref pos, Kind.RowGroup, depth);

    public void CopyColumnChunk(ReadOnlySpan<byte> data, ref int pos, int depth) => CopyStruct(data, ref pos, Kind.ColumnChunk, depth);

    private void CopyStruct(ReadOnlySpan<byte> data, ref int pos, Kind kind, int depth)
    {
        short lastIn = 0;
        short lastOut = 0;
        while (true)
        {
            if (!NextField(data, ref pos, ref lastIn, "struct in a part's footer", out byte type, out short id))
            {
                WriteByte(_output, FieldStop);
                return;
            }

            if (Unsupported(kind, id) is { } why)
            {
                throw Malformed(why);
            }

            WriteFieldHeader(_output, type, id, ref lastOut);
            Kind child = ChildKind(kind, id);
            if (child != Kind.Other && type == Struct)
            {
                CopyStruct(data, ref pos, child, depth + 1);
            }
            else if (child != Kind.Other && type == List)
            {
                CopyStructList(data, ref pos, child, depth + 1);
            }
            else if (type is I32 or I64 && IsOffset(kind, id))
            {
                WriteInteger(_output, Moved(ReadInteger(data, ref pos)));
            }
            else if (type == I16 && kind == Kind.RowGroup && id == 7)
            {
                // RowGroup.ordinal: the row group's place in the file, which is no longer its place in the part.
                ReadInteger(data, ref pos);
                int ordinal = RowGroupOrdinal;
                WriteInteger(_output, ordinal <= short.MaxValue ? ordinal : throw Malformed("more row groups than an i16 ordinal can number"));
            }
            else
            {
                CopyValue(data, ref pos, _output, type, depth + 1);
            }
        }
    }

    private void CopyStructList(ReadOnlySpan<byte> data, ref int pos, Kind elementKind, int depth)
    {
        if (!TryReadListHeader(data, ref pos, out int count, out byte elementType))
        {
            throw Malformed("truncated list in a part's footer");
        }

        WriteListHeader(_output, count, elementType);
        for (int i = 0; i < count; i++)
        {
            if (elementType == Struct)
            {
                CopyStruct(data, ref pos, elementKind, depth);
            }
            else
            {
                CopyElement(data, ref pos, _output, elementType, depth);
            }
        }
    }

    // An offset in a part points into its pages; one outside them means the part is not what it claims to be, and
    // moving it would make the stitched file point into another part. The deprecated ColumnChunk.file_offset may
    // point just past its chunk, which for the last chunk is the footer's start.
    private long Moved(long offset) =>
        offset >= 4 && offset <= PagesEnd ? offset + Shift : throw Malformed($"an offset ({offset}) outside the part's pages (4..{PagesEnd})");

    private static Kind ChildKind(Kind parent, short id) => (parent, id) switch
    {
        (Kind.RowGroup, 1) => Kind.ColumnChunk,
        (Kind.ColumnChunk, 3) => Kind.ColumnMetaData,
        _ => Kind.Other,
    };

    // Every absolute position in parquet.thrift's footer: RowGroup 5 file_offset; ColumnChunk 2 file_offset,
    // 6 column_index_offset (4 offset_index_offset is refused, see Unsupported); ColumnMetaData 9 data_page_offset,
    // 10 index_page_offset, 11 dictionary_page_offset, 14 bloom_filter_offset.
    private static bool IsOffset(Kind kind, short id) => (kind, id) switch
    {
        (Kind.RowGroup, 5) => true,
        (Kind.ColumnChunk, 2) or (Kind.ColumnChunk, 6) => true,
        (Kind.ColumnMetaData, 9) or (Kind.ColumnMetaData, 10) or (Kind.ColumnMetaData, 11) or (Kind.ColumnMetaData, 14) => true,
        _ => false,
    };

    // What moving the footer's offsets cannot make right; neither Parquet.Net 6.1 nor this writer writes any of these.
    private static string? Unsupported(Kind kind, short id) => (kind, id) switch
    {
        (Kind.ColumnChunk, 1) => "a column chunk in another file (file_path), whose offsets are not the part's",

        // An OffsetIndex lies among the copied bytes and holds each page's absolute offset, which would stay behind.
        (Kind.ColumnChunk, 4) => "a page offset index, whose page offsets are not moved",
        (Kind.ColumnChunk, 9) => "encrypted column metadata, whose offsets cannot be read",
        _ => null,
    };
}
