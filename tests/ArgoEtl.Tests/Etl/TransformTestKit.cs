using System.Text;
using ArgoEtl.Etl.Output;
using ArgoEtl.Etl.Schema;
using ArgoEtl.Etl.Transform;
using Parquet;
using Parquet.Schema;

namespace ArgoEtl.Tests.Etl;

/// <summary>Runs the real transformer on in-memory CSV and reads outputs back with independent readers.</summary>
internal static class TransformTestKit
{
    public static (CsvTransformStats Stats, string Json) ToJson(string csv, TransformOptions? options = null, IRejectSink? rejects = null, bool bom = false)
    {
        var input = new MemoryStream((bom ? Encoding.UTF8.GetPreamble() : []).Concat(Encoding.UTF8.GetBytes(csv)).ToArray());
        var output = new MemoryStream();
        var stats = CsvTransformer.Transform(input, output, (options ?? new TransformOptions()) with { Format = OutputFormat.Json }, "test.csv", rejects);
        return (stats, Encoding.UTF8.GetString(output.ToArray()));
    }

    public static async Task<(CsvTransformStats Stats, Dictionary<string, object?[]> Columns, ParquetSchema Schema, int RowGroups)> ToParquetAsync(string csv, TransformOptions? options = null)
    {
        var (stats, file) = ToParquetFile(csv, options);
        var (columns, schema, groups) = await ReadParquetAsync(new MemoryStream(file));
        return (stats, columns, schema, groups);
    }

    /// <summary>The Parquet file's bytes, for tests that read its footer as well as its values.</summary>
    public static (CsvTransformStats Stats, byte[] File) ToParquetFile(string csv, TransformOptions? options = null)
    {
        var input = new MemoryStream(Encoding.UTF8.GetBytes(csv));
        var output = new MemoryStream();
        var stats = CsvTransformer.Transform(input, output, (options ?? new TransformOptions()) with { Format = OutputFormat.Parquet }, "test.csv");
        return (stats, output.ToArray());
    }

    public static async Task<(Dictionary<string, object?[]> Columns, ParquetSchema Schema, int RowGroups)> ReadParquetAsync(Stream parquet)
    {
        await using var reader = await ParquetReader.CreateAsync(parquet);
        var columns = reader.Schema.DataFields.ToDictionary(f => f.Name, _ => new List<object?>());
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            foreach (var field in reader.Schema.DataFields)
            {
                columns[field.Name].AddRange(await ReadColumnAsync(group, field, (int)group.RowCount));
            }
        }

        return (columns.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray()), reader.Schema, reader.RowGroupCount);
    }

    private static async Task<object?[]> ReadColumnAsync(ParquetRowGroupReader group, DataField field, int rows)
    {
        var t = field.ClrType;
        if (t == typeof(int)) { var a = new int?[rows]; await group.ReadAsync<int>(field, a); return a.Cast<object?>().ToArray(); }
        if (t == typeof(long)) { var a = new long?[rows]; await group.ReadAsync<long>(field, a); return a.Cast<object?>().ToArray(); }
        if (t == typeof(double)) { var a = new double?[rows]; await group.ReadAsync<double>(field, a); return a.Cast<object?>().ToArray(); }
        if (t == typeof(bool)) { var a = new bool?[rows]; await group.ReadAsync<bool>(field, a); return a.Cast<object?>().ToArray(); }
        if (t == typeof(DateTime)) { var a = new DateTime?[rows]; await group.ReadAsync<DateTime>(field, a); return a.Cast<object?>().ToArray(); }
        var s = new string?[rows];
        await group.ReadAsync(field, s!);
        return s.Cast<object?>().ToArray();
    }

    public static TableSchema Schema(string text) => TableSchema.Parse(text);
}
