using System.Text.Encodings.Web;
using System.Text.Json;

namespace ArgoEtl.Etl.Transform;

/// <summary>Writes rejected rows as NDJSON: {"line":5,"column":"score","error":"...","row":"raw text"}.</summary>
public sealed class NdjsonRejectSink : IRejectSink, IDisposable
{
    private readonly Utf8JsonWriter _json;
    private readonly Stream _output;

    public NdjsonRejectSink(Stream output)
    {
        _output = output;
        _json = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true });
    }

    public long Count { get; private set; }

    public void Reject(long line, string? column, string reason, ReadOnlySpan<char> rowText)
    {
        _json.WriteStartObject();
        _json.WriteNumber("line", line);
        if (column is null)
        {
            _json.WriteNull("column");
        }
        else
        {
            _json.WriteString("column", column);
        }

        _json.WriteString("error", reason);
        _json.WriteString("row", rowText);
        _json.WriteEndObject();
        _json.Flush();
        _output.WriteByte((byte)'\n');
        _json.Reset();
        Count++;
    }

    public void Dispose()
    {
        _json.Dispose();
        _output.Flush();
    }
}
