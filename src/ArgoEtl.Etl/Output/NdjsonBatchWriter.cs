using System.Buffers;
using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ArgoEtl.Etl.Csv;
using ArgoEtl.Etl.Schema;

namespace ArgoEtl.Etl.Output;

/// <summary>
/// One JSON object per line, written as UTF-8 bytes straight from the column buffers. Property names are encoded once;
/// numbers, booleans, dates and times are formatted in place; a string made only of printable ASCII without quotes or
/// backslashes (nearly all CSV text) is copied as is. Any other string goes through Utf8JsonWriter with the relaxed
/// encoder, so non-ASCII text (Korean names, accents) stays readable UTF-8 while quotes, backslashes and control
/// characters are escaped exactly as System.Text.Json does. Output is buffered and written in large chunks.
/// </summary>
internal sealed class NdjsonBatchWriter : IBatchWriter
{
    private const int FlushThreshold = 1 << 20;
    private static readonly SearchValues<char> PlainAscii = SearchValues.Create(
        Enumerable.Range(0x20, 0x7F - 0x20).Select(i => (char)i).Where(c => c is not '"' and not '\\').ToArray());

    private readonly Stream _output;
    private byte[] _buffer = new byte[FlushThreshold + (64 * 1024)];
    private int _length;
    private readonly byte[][] _prefixes;
    private readonly ColumnType[] _types;
    private readonly int[] _cursors;

    // Only for strings that need escaping; writes one string value at a time.
    private readonly ArrayBufferWriter<byte> _escaped = new(256);
    private readonly Utf8JsonWriter _encoder;

    public NdjsonBatchWriter(Stream output, TableSchema schema)
    {
        _output = output;
        _encoder = new Utf8JsonWriter(_escaped, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true });

        // {"first": ,"second": ... : each column's name with the punctuation before it, encoded once.
        _prefixes = schema.Columns.Select((c, i) =>
        {
            string name = JsonEncodedText.Encode(c.Name, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString();
            return Encoding.UTF8.GetBytes($"{(i == 0 ? "{" : ",")}\"{name}\":");
        }).ToArray();
        _types = schema.Columns.Select(c => c.Type).ToArray();
        _cursors = new int[schema.Count];
    }

    public async ValueTask WriteAsync(RowBatch batch, CancellationToken cancellationToken)
    {
        Array.Clear(_cursors);
        var kinds = KindsOf(batch.Columns);
        int row = 0;
        while (row < batch.Count)
        {
            // The row loop runs outside the async state machine (whose locals live on the heap), up to a buffer's worth.
            row = WriteRows(batch.Columns, kinds, row, batch.Count);
            if (_length >= FlushThreshold)
            {
                await FlushBufferAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        await FlushBufferAsync(cancellationToken).ConfigureAwait(false);
        await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        _encoder.Dispose();
        return ValueTask.CompletedTask;
    }

    // How each column's values are written, decided once per batch instead of a type test per value.
    private enum ValueKind : byte
    {
        JsonText,
        String,
        Int32,
        Int64,
        Double,
        Boolean,
        Date,
        Timestamp,
    }

    private ValueKind[] _kinds = [];

    private ValueKind[] KindsOf(ColumnBuffer[] columns)
    {
        if (_kinds.Length != columns.Length)
        {
            _kinds = new ValueKind[columns.Length];
        }

        for (int c = 0; c < columns.Length; c++)
        {
            _kinds[c] = columns[c] is JsonNumberColumnBuffer ? ValueKind.JsonText : _types[c] switch
            {
                ColumnType.String => ValueKind.String,
                ColumnType.Int32 => ValueKind.Int32,
                ColumnType.Int64 => ValueKind.Int64,
                ColumnType.Double => ValueKind.Double,
                ColumnType.Boolean => ValueKind.Boolean,
                ColumnType.Date => ValueKind.Date,
                ColumnType.Timestamp => ValueKind.Timestamp,
                _ => throw new InvalidOperationException($"No JSON mapping for column '{columns[c].Definition.Name}'."),
            };
        }

        return _kinds;
    }

    // Rows from `row` until the buffer is full or the batch ends; returns the next row to write.
    private int WriteRows(ColumnBuffer[] columns, ValueKind[] kinds, int row, int count)
    {
        for (; row < count && _length < FlushThreshold; row++)
        {
            WriteRow(columns, kinds, row);
        }

        return row;
    }

    private void WriteRow(ColumnBuffer[] columns, ValueKind[] kinds, int row)
    {
        if (columns.Length == 0)
        {
            Append("{"u8);
        }

        for (int c = 0; c < columns.Length; c++)
        {
            Append(_prefixes[c]);
            var column = columns[c];
            if (column.DefinitionLevels[row] == 0)
            {
                Append("null"u8);
                continue;
            }

            int i = _cursors[c]++;
            switch (kinds[c])
            {
                case ValueKind.JsonText:
                    WriteRaw(Unsafe.As<StringColumnBuffer>(column).ValueAt(i));
                    break;
                case ValueKind.String:
                    WriteString(Unsafe.As<StringColumnBuffer>(column).ValueAt(i));
                    break;
                case ValueKind.Int32:
                    Format(Unsafe.As<ValueColumnBuffer<int>>(column).Values[i]);
                    break;
                case ValueKind.Int64:
                    Format(Unsafe.As<ValueColumnBuffer<long>>(column).Values[i]);
                    break;
                case ValueKind.Double:
                    WriteDouble(Unsafe.As<ValueColumnBuffer<double>>(column).Values[i]);
                    break;
                case ValueKind.Boolean:
                    Append(Unsafe.As<ValueColumnBuffer<bool>>(column).Values[i] ? "true"u8 : "false"u8);
                    break;
                case ValueKind.Date:
                    WriteDate(Unsafe.As<ValueColumnBuffer<DateOnly>>(column).Values[i]);
                    break;
                default:
                    WriteTimestamp(Unsafe.As<ValueColumnBuffer<DateTime>>(column).Values[i]);
                    break;
            }
        }

        Append("}\n"u8);
    }

    private void WriteString(ReadOnlySpan<char> value)
    {
        if (value.IndexOfAnyExcept(PlainAscii) < 0)
        {
            // Printable ASCII without quote or backslash: one byte per char, nothing to escape.
            var span = Reserve(value.Length + 2);
            span[0] = (byte)'"';
            System.Text.Ascii.FromUtf16(value, span[1..], out int n);
            span[n + 1] = (byte)'"';
            _length += n + 2;
            return;
        }

        _escaped.ResetWrittenCount();
        _encoder.Reset();
        _encoder.WriteStringValue(value);
        _encoder.Flush();
        Append(_escaped.WrittenSpan);
    }

    // Text that is already JSON (a number, or a quoted NaN/Infinity), all ASCII.
    private void WriteRaw(ReadOnlySpan<char> json)
    {
        var span = Reserve(json.Length);
        System.Text.Ascii.FromUtf16(json, span, out int n);
        _length += n;
    }

    private void Format<T>(T value)
        where T : IUtf8SpanFormattable
    {
        var span = Reserve(32);
        value.TryFormat(span, out int n, default, System.Globalization.CultureInfo.InvariantCulture);
        _length += n;
    }

    // JSON has no NaN or Infinity; write them as strings (the form .NET and JavaScript print) rather than fail the run.
    private void WriteDouble(double value)
    {
        if (double.IsFinite(value))
        {
            Format(value);
        }
        else
        {
            WriteString(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    // "yyyy-MM-dd" by hand: the custom-format path of DateOnly.TryFormat is slow for something this fixed.
    private void WriteDate(DateOnly value)
    {
        var span = Reserve(12);
        value.Deconstruct(out int year, out int month, out int day);
        span[0] = (byte)'"';
        Digits(span.Slice(1, 4), year);
        span[5] = (byte)'-';
        Digits(span.Slice(6, 2), month);
        span[8] = (byte)'-';
        Digits(span.Slice(9, 2), day);
        span[11] = (byte)'"';
        _length += 12;
    }

    private static void Digits(Span<byte> target, int value)
    {
        for (int i = target.Length - 1; i >= 0; i--)
        {
            target[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }

    // As System.Text.Json writes a UTC DateTime: yyyy-MM-ddTHH:mm:ss, then the fraction without trailing zeros, then Z.
    private void WriteTimestamp(DateTime value)
    {
        var span = Reserve(32);
        span[0] = (byte)'"';
        Utf8Formatter.TryFormat(value, span[1..], out int n, new StandardFormat('O'));

        // 'O' gives yyyy-MM-ddTHH:mm:ss.fffffffZ (28 bytes); drop zero fraction digits, and the dot if all are zero.
        int end = n; // index after 'Z' relative to span[1..]
        int fractionEnd = end - 1;
        while (fractionEnd > 20 && span[fractionEnd] == (byte)'0')
        {
            fractionEnd--;
        }

        if (fractionEnd == 20)
        {
            fractionEnd = 19; // only the dot is left
        }

        span[fractionEnd + 1] = (byte)'Z';
        span[fractionEnd + 2] = (byte)'"';
        _length += fractionEnd + 3;
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Reserve(bytes.Length));
        _length += bytes.Length;
    }

    private Span<byte> Reserve(int size)
    {
        if (_length + size > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + size));
        }

        return _buffer.AsSpan(_length);
    }

    private async ValueTask FlushBufferAsync(CancellationToken cancellationToken)
    {
        if (_length > 0)
        {
            await _output.WriteAsync(_buffer.AsMemory(0, _length), cancellationToken).ConfigureAwait(false);
            _length = 0;
        }
    }
}
