using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using ArgoEtl.Etl.Csv;
using ArgoEtl.Etl.Schema;

namespace ArgoEtl.Etl.Output;

/// <summary>
/// One JSON object per line. Uses Utf8JsonWriter for correct escaping, with the relaxed encoder so that non-ASCII text
/// (Korean names, accents) stays readable UTF-8 instead of \u escapes; quotes, backslashes and control characters are
/// still escaped. Output is buffered and written to the stream in large chunks.
/// </summary>
internal sealed class NdjsonBatchWriter : IBatchWriter
{
    private const int FlushThreshold = 1 << 20;
    private readonly Stream _output;
    private readonly ArrayBufferWriter<byte> _buffer = new(FlushThreshold + (64 * 1024));
    private readonly Utf8JsonWriter _json;
    private readonly JsonEncodedText[] _names;
    private readonly int[] _cursors;
    private readonly char[] _dateText = new char[16];

    public NdjsonBatchWriter(Stream output, TableSchema schema)
    {
        _output = output;
        var options = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };
        _json = new Utf8JsonWriter(_buffer, options);
        _names = schema.Columns.Select(c => JsonEncodedText.Encode(c.Name, JavaScriptEncoder.UnsafeRelaxedJsonEscaping)).ToArray();
        _cursors = new int[schema.Count];
    }

    public async ValueTask WriteAsync(RowBatch batch, CancellationToken cancellationToken)
    {
        Array.Clear(_cursors);
        for (int row = 0; row < batch.Count; row++)
        {
            WriteRow(batch, row);
            if (_buffer.WrittenCount >= FlushThreshold)
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
        _json.Dispose();
        return ValueTask.CompletedTask;
    }

    private void WriteRow(RowBatch batch, int row)
    {
        _json.WriteStartObject();
        var columns = batch.Columns;
        for (int c = 0; c < columns.Length; c++)
        {
            var column = columns[c];
            if (column.DefinitionLevels[row] == 0)
            {
                _json.WriteNull(_names[c]);
                continue;
            }

            int i = _cursors[c]++;
            switch (column)
            {
                case StringColumnBuffer s:
                    _json.WriteString(_names[c], s.ValueAt(i));
                    break;
                case ValueColumnBuffer<int> v:
                    _json.WriteNumber(_names[c], v.Values[i]);
                    break;
                case ValueColumnBuffer<long> v:
                    _json.WriteNumber(_names[c], v.Values[i]);
                    break;
                case ValueColumnBuffer<double> v:
                    WriteDouble(_names[c], v.Values[i]);
                    break;
                case ValueColumnBuffer<bool> v:
                    _json.WriteBoolean(_names[c], v.Values[i]);
                    break;
                case ValueColumnBuffer<DateOnly> v:
                    v.Values[i].TryFormat(_dateText, out int n, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
                    _json.WriteString(_names[c], _dateText.AsSpan(0, n));
                    break;
                case ValueColumnBuffer<DateTime> v:
                    _json.WriteString(_names[c], v.Values[i]);
                    break;
                default:
                    throw new InvalidOperationException($"No JSON mapping for column '{column.Definition.Name}'.");
            }
        }

        _json.WriteEndObject();
        _json.Flush();
        _buffer.GetSpan(1)[0] = (byte)'\n';
        _buffer.Advance(1);
        _json.Reset();
    }

    // JSON has no NaN or Infinity; write them as strings (the form .NET and JavaScript print) rather than fail the run.
    private void WriteDouble(JsonEncodedText name, double value)
    {
        if (double.IsFinite(value))
        {
            _json.WriteNumber(name, value);
        }
        else
        {
            _json.WriteString(name, value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private async ValueTask FlushBufferAsync(CancellationToken cancellationToken)
    {
        if (_buffer.WrittenCount > 0)
        {
            await _output.WriteAsync(_buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
            _buffer.ResetWrittenCount();
        }
    }
}
