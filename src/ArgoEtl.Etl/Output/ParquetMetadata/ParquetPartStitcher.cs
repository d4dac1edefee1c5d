using System.Buffers;
using static ArgoEtl.Etl.Output.ParquetMetadata.ThriftCompact;

namespace ArgoEtl.Etl.Output.ParquetMetadata;

/// <summary>
/// Joins standalone Parquet files ("parts"), each written by its own <see cref="ParquetBatchWriter"/> with the same
/// schema and options, into one Parquet file, so that row groups can be encoded on several threads and written out by one.
/// A part's pages are copied as they are, in one write; its row groups go into the merged footer with every absolute
/// file offset moved by where the part's pages landed, sizes unchanged. The rest of the footer is the first part's,
/// copied field by field (<see cref="FooterTemplate"/>), so fields this code does not know survive.
/// The output is forward-only (a network or temp stream): positions are counted here, never asked of it, and it is
/// not disposed. Cost: one walk of each part's footer (per row group and column), no per-byte work on page data.
/// Field ids are those of parquet.thrift (FileMetaData, RowGroup, ColumnChunk, ColumnMetaData). One thread appends,
/// in order.
/// </summary>
internal sealed class ParquetPartStitcher
{
    private const int MagicLength = ParquetFrame.MagicLength;

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

    // The part being appended: its row groups' offsets are moved by where its pages land.
    private readonly FooterOffsetMover _mover;
    private int _stagedRowGroups;

    public ParquetPartStitcher(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _mover = new FooterOffsetMover(_staged);
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
            await _output.WriteAsync(ParquetFrame.Magic, ct).ConfigureAwait(false);
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
        ParquetFrame.EndFooter(footer);

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
        Range footerRange = ParquetFrame.FindFooter(part, "a part");
        int footerStart = footerRange.Start.Value;
        ReadOnlySpan<byte> footer = part[footerRange];
        _mover.PagesEnd = footerStart;
        _mover.Shift = shift;
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
            _mover.RowGroupOrdinal = _rowGroupCount + _stagedRowGroups;
            _mover.CopyRowGroup(footer, ref pos, 1);
            _stagedRowGroups++;
        }
    }

    // The first part's footer was walked when it was appended, so it is read here without checks.
    private void WriteMergedFooter(ArrayBufferWriter<byte> footer) =>
        FooterTemplate.Write(_firstFooter, RowCount, _rowGroupCount, _rowGroups.WrittenSpan, footer);
}
