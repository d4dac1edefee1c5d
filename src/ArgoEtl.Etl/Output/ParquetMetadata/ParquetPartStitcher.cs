using System.Buffers;
using System.Buffers.Binary;
using static ArgoEtl.Etl.Output.ParquetMetadata.ThriftCompact;

namespace ArgoEtl.Etl.Output.ParquetMetadata;

/// <summary>
/// Joins standalone Parquet files ("parts"), each written by its own Parquet.Net writer with the same schema and
/// options, into one Parquet file, so that row groups can be encoded on several threads and written out by one.
/// A part's pages are copied as they are, in one write; its row groups go into the merged footer with every absolute
/// file offset moved by where the part's pages landed, sizes unchanged. The rest of the footer is the first part's,
/// copied field by field as <see cref="ParquetStatisticsRewriter"/> does, so fields this code does not know survive.
/// The output is forward-only (a network or temp stream): positions are counted here, never asked of it, and it is
/// not disposed. Cost: one walk of each part's footer (per row group and column), no per-byte work on page data.
/// Field ids are those of parquet.thrift (FileMetaData, RowGroup, ColumnChunk, ColumnMetaData). One thread appends,
/// in order.
/// </summary>
internal sealed class ParquetPartStitcher
{
    private static readonly byte[] Magic = "PAR1"u8.ToArray();
    private const int MagicLength = 4;

    // "PAR1", the footer (at least its stop byte), its 4-byte length and "PAR1" again.
    private const int SmallestPartLength = MagicLength + 1 + 4 + MagicLength;

    private enum Kind
    {
        Other,
        RowGroup,
        ColumnChunk,
        ColumnMetaData,
    }

    private readonly Stream _output;

    // Every part's row groups, re-encoded, in order: the merged footer's row_groups list without its header, whose
    // count is known only at the end.
    private readonly ArrayBufferWriter<byte> _rowGroups = new();

    // The part being appended: its row groups are re-encoded here first and kept only once its pages are written, so
    // a part that fails its checks changes nothing.
    private readonly ArrayBufferWriter<byte> _staged = new();

    // The first part's footer, whose fields other than num_rows and row_groups are the merged footer's.
    private byte[]? _firstFooter;
    private Range _firstSchema;
    private long _position;
    private int _rowGroupCount;
    private int _partCount;
    private bool _outputUnknown;
    private bool _completed;

    // The part being appended: the range its offsets must fall in and how far they move.
    private long _partPagesEnd;
    private long _shift;
    private int _stagedRowGroups;

    public ParquetPartStitcher(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
    }

    /// <summary>Rows appended so far: the sum of the parts' num_rows.</summary>
    public long RowCount { get; private set; }

    /// <summary>
    /// Appends one complete Parquet file ("PAR1", pages, footer, its length, "PAR1") written with the same schema as
    /// the first. Its footer is checked and re-encoded before anything is written, so a malformed part (an
    /// <see cref="EtlException"/>) or one with another schema (<see cref="InvalidOperationException"/>) leaves the
    /// output as it was. The memory is not used after this returns.
    /// </summary>
    public async ValueTask AppendAsync(ReadOnlyMemory<byte> part, CancellationToken ct)
    {
        ThrowIfUnusable();

        // The first part's byte 4 lands at 4 (after the magic written for it), every later one where the output ends.
        long pagesStart = _position == 0 ? MagicLength : _position;
        var (pages, rows) = StagePart(part.Span, pagesStart - MagicLength);

        // A write that fails leaves the output at a position not known here: nothing more can be stitched onto it.
        _outputUnknown = true;
        if (_position == 0)
        {
            await _output.WriteAsync(Magic, ct).ConfigureAwait(false);
            _position = MagicLength;
        }

        // A part without row groups has no pages: it adds only its num_rows, zero.
        if (!part[pages].IsEmpty)
        {
            await _output.WriteAsync(part[pages], ct).ConfigureAwait(false);
        }

        _outputUnknown = false;
        _position += part[pages].Length;
        _rowGroups.Write(_staged.WrittenSpan);
        _rowGroupCount += _stagedRowGroups;
        _partCount++;
        RowCount += rows;
    }

    /// <summary>
    /// Writes the merged footer, its length and "PAR1". At least one part must have been appended: with no rows the
    /// caller appends one with the schema and no row groups, which is where the schema comes from.
    /// </summary>
    public async ValueTask CompleteAsync(CancellationToken ct)
    {
        ThrowIfUnusable();
        if (_firstFooter is null)
        {
            throw new InvalidOperationException("No Parquet part was appended: append at least one (with the schema and no row groups when there are no rows).");
        }

        var footer = new ArrayBufferWriter<byte>(_rowGroups.WrittenCount + _firstFooter.Length + 16);
        WriteMergedFooter(footer);
        WriteInt32LittleEndian(footer, footer.WrittenCount);
        footer.Write(Magic);

        _outputUnknown = true;
        await _output.WriteAsync(footer.WrittenMemory, ct).ConfigureAwait(false);
        await _output.FlushAsync(ct).ConfigureAwait(false);
        _outputUnknown = false;
        _position += footer.WrittenCount;
        _completed = true;
    }

    private void ThrowIfUnusable()
    {
        if (_completed)
        {
            throw new InvalidOperationException("The stitched Parquet file is already complete.");
        }

        if (_outputUnknown)
        {
            throw new InvalidOperationException("An earlier write of the stitched Parquet file failed; its output cannot be continued.");
        }
    }

    // Checks the part's frame, walks its footer and re-encodes its row groups into _staged; returns the range of its
    // pages (byte 4 up to the footer) and its num_rows.
    private (Range Pages, long Rows) StagePart(ReadOnlySpan<byte> part, long shift)
    {
        if (part.Length < SmallestPartLength || !part[..MagicLength].SequenceEqual(Magic) || !part[^MagicLength..].SequenceEqual(Magic))
        {
            throw Malformed("a part is not a complete Parquet file (no PAR1 at its start or end)");
        }

        int footerLength = BinaryPrimitives.ReadInt32LittleEndian(part[^(MagicLength + 4)..^MagicLength]);
        if (footerLength <= 0 || footerLength > part.Length - (2 * MagicLength) - 4)
        {
            throw Malformed($"a part's footer length {footerLength} does not fit its {part.Length} bytes");
        }

        int footerStart = part.Length - MagicLength - 4 - footerLength;
        ReadOnlySpan<byte> footer = part.Slice(footerStart, footerLength);
        _partPagesEnd = footerStart;
        _shift = shift;
        _staged.ResetWrittenCount();
        _stagedRowGroups = -1;

        // FileMetaData: 2 schema, 3 num_rows, 4 row_groups.
        Range schema = default;
        bool schemaSeen = false;
        long? rows = null;
        int pos = 0;
        short lastId = 0;
        while (true)
        {
            if (!NextField(footer, ref pos, ref lastId, "part footer", out byte type, out short id))
            {
                break;
            }

            if (id == 3 && type == I64)
            {
                rows = ReadInteger(footer, ref pos);
            }
            else if (id == 4 && type == List)
            {
                StageRowGroups(footer, ref pos);
            }
            else
            {
                int start = pos;
                if (!TrySkipValue(footer, ref pos, type, 1))
                {
                    throw Malformed("truncated part footer");
                }

                if (id == 2)
                {
                    schema = start..pos;
                    schemaSeen = true;
                }
            }
        }

        if (pos != footer.Length)
        {
            throw Malformed("a part's footer ends before its stated length");
        }

        if (!schemaSeen || rows is not { } rowCount || rowCount < 0 || _stagedRowGroups < 0)
        {
            throw Malformed("a part's footer lacks its schema, num_rows or row_groups");
        }

        if (_firstFooter is null)
        {
            _firstFooter = footer.ToArray();
            _firstSchema = schema;
        }
        else if (!footer[schema].SequenceEqual(_firstFooter.AsSpan()[_firstSchema]))
        {
            // Parts come from writers made with one schema and one set of options; a difference is a bug, not input.
            throw new InvalidOperationException($"Parquet part {_partCount + 1} has a different schema from the first part; the parts of one file must be written with the same schema.");
        }

        return (MagicLength..footerStart, rowCount);
    }

    private void StageRowGroups(ReadOnlySpan<byte> footer, ref int pos)
    {
        if (!TryReadListHeader(footer, ref pos, out int count, out byte elementType))
        {
            throw Malformed("truncated row group list");
        }

        if (count > 0 && elementType != Struct)
        {
            throw Malformed("row groups that are not structs");
        }

        _stagedRowGroups = 0;
        for (int i = 0; i < count; i++)
        {
            CopyStruct(footer, ref pos, Kind.RowGroup, 1);
            _stagedRowGroups++;
        }
    }

    // Copies a RowGroup, ColumnChunk or ColumnMetaData field by field into _staged, moving offsets and numbering
    // row groups; everything else, known or not, as raw bytes.
    private void CopyStruct(ReadOnlySpan<byte> data, ref int pos, Kind kind, int depth)
    {
        short lastIn = 0;
        short lastOut = 0;
        while (true)
        {
            if (!NextField(data, ref pos, ref lastIn, "struct in a part's footer", out byte type, out short id))
            {
                WriteByte(_staged, FieldStop);
                return;
            }

            if (Unsupported(kind, id) is { } why)
            {
                throw Malformed(why);
            }

            WriteFieldHeader(_staged, type, id, ref lastOut);
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
                WriteInteger(_staged, Moved(ReadInteger(data, ref pos)));
            }
            else if (type == I16 && kind == Kind.RowGroup && id == 7)
            {
                // RowGroup.ordinal: the row group's place in the file, which is no longer its place in the part.
                ReadInteger(data, ref pos);
                int ordinal = _rowGroupCount + _stagedRowGroups;
                WriteInteger(_staged, ordinal <= short.MaxValue ? ordinal : throw Malformed("more row groups than an i16 ordinal can number"));
            }
            else
            {
                CopyValue(data, ref pos, _staged, type, depth + 1);
            }
        }
    }

    private void CopyStructList(ReadOnlySpan<byte> data, ref int pos, Kind elementKind, int depth)
    {
        if (!TryReadListHeader(data, ref pos, out int count, out byte elementType))
        {
            throw Malformed("truncated list in a part's footer");
        }

        WriteListHeader(_staged, count, elementType);
        for (int i = 0; i < count; i++)
        {
            if (elementType == Struct)
            {
                CopyStruct(data, ref pos, elementKind, depth);
            }
            else
            {
                CopyElement(data, ref pos, _staged, elementType, depth);
            }
        }
    }

    // An offset in a part points into its pages; one outside them means the part is not what it claims to be, and
    // moving it would make the stitched file point into another part. The deprecated ColumnChunk.file_offset may
    // point just past its chunk, which for the last chunk is the footer's start.
    private long Moved(long offset) =>
        offset >= MagicLength && offset <= _partPagesEnd ? offset + _shift : throw Malformed($"an offset ({offset}) outside the part's pages (4..{_partPagesEnd})");

    // The first part's footer was walked when it was appended, so it is read here without checks.
    private void WriteMergedFooter(ArrayBufferWriter<byte> footer)
    {
        ReadOnlySpan<byte> first = _firstFooter;
        int pos = 0;
        short lastIn = 0;
        short lastOut = 0;
        while (true)
        {
            TryReadFieldHeader(first, ref pos, ref lastIn, out byte type, out short id);
            if (type == FieldStop)
            {
                WriteByte(footer, FieldStop);
                return;
            }

            WriteFieldHeader(footer, type, id, ref lastOut);
            if (id == 3 && type == I64)
            {
                ReadInteger(first, ref pos);
                WriteInteger(footer, RowCount);
            }
            else if (id == 4 && type == List)
            {
                TrySkipValue(first, ref pos, type, 1);
                WriteListHeader(footer, _rowGroupCount, Struct);
                footer.Write(_rowGroups.WrittenSpan);
            }
            else
            {
                CopyValue(first, ref pos, footer, type, 1);
            }
        }
    }

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

    // What moving the footer's offsets cannot make right; Parquet.Net 6.1 writes none of these.
    private static string? Unsupported(Kind kind, short id) => (kind, id) switch
    {
        (Kind.ColumnChunk, 1) => "a column chunk in another file (file_path), whose offsets are not the part's",

        // An OffsetIndex lies among the copied bytes and holds each page's absolute offset, which would stay behind.
        (Kind.ColumnChunk, 4) => "a page offset index, whose page offsets are not moved",
        (Kind.ColumnChunk, 9) => "encrypted column metadata, whose offsets cannot be read",
        _ => null,
    };
}
