using System.Globalization;
using System.Text;
using DuckDB.NET.Data;

namespace ArgoEtl.Bench;

/// <summary>DuckDB as the baseline converter and as the independent reader that checks every output holds the same data.</summary>
internal static class DuckDbCases
{
    private static readonly Dictionary<string, string> SqlTypes = new()
    {
        ["string"] = "VARCHAR",
        ["int32"] = "INTEGER",
        ["int64"] = "BIGINT",
        ["double"] = "DOUBLE",
        ["boolean"] = "BOOLEAN",
        ["date"] = "DATE",
        ["timestamp"] = "TIMESTAMP",
    };

    /// <summary>COPY (SELECT * FROM read_csv(...)) TO ... with the column types given, as a user tuning DuckDB would.</summary>
    public static void Convert(string csv, string output, string format, int threads, Dataset dataset)
    {
        using var connection = Open();
        Execute(connection, $"SET threads={threads}");
        Execute(connection, $"COPY (SELECT * FROM read_csv({Quote(csv)}, header=true, delim=',', quote='\"', escape='\"', columns={ColumnsStruct(dataset, jsonTimestamps: false)})) " +
                            $"TO {Quote(output)} (FORMAT {format})");
    }

    /// <summary>
    /// Row count plus, per column, the non-null count and an exact aggregate (sum, true count, total string length,
    /// days or microseconds since the epoch). Two files with the same signature hold the same data in every column.
    /// </summary>
    public static string Signature(string path, string format, Dataset dataset)
    {
        string source = format switch
        {
            "csv" => $"read_csv({Quote(path)}, header=true, delim=',', quote='\"', escape='\"', columns={ColumnsStruct(dataset, jsonTimestamps: false)})",
            "parquet" => $"read_parquet({Quote(path)})",
            "json" => $"read_json({Quote(path)}, format='newline_delimited', columns={ColumnsStruct(dataset, jsonTimestamps: true)})",
            _ => throw new ArgumentException($"unknown format {format}"),
        };
        var select = new StringBuilder("SELECT count(*)");
        foreach (var (name, type) in dataset.Columns)
        {
            string c = $"\"{name}\"";
            string aggregate = type switch
            {
                "int32" or "int64" => $"sum({c})",
                "double" => $"sum(CAST({c} AS DECIMAL(38,4)))",
                "boolean" => $"count_if({c})",
                "string" => $"sum(length({c}))",
                "date" => $"sum({c} - DATE '1970-01-01')",
                // JSON writers differ only in how they spell a UTC time ('T', 'Z'); compare the instant. In whole
                // microseconds: epoch() is a double, and a parallel sum of 9 million doubles near 1.7e9 rounds in an
                // order-dependent way, which once marked DuckDB's own 1 GB output as different.
                "timestamp" when format == "json" => $"sum(epoch_us(CAST(replace(replace({c}, 'T', ' '), 'Z', '') AS TIMESTAMP)))",
                "timestamp" => $"sum(epoch_us({c}))",
                _ => throw new ArgumentException($"unknown type {type}"),
            };
            select.Append($", count({c}), {aggregate}");
        }

        select.Append(" FROM ").Append(source);
        using var connection = Open();
        Execute(connection, "SET TimeZone='UTC'");
        using var command = connection.CreateCommand();
        command.CommandText = select.ToString();
        using var reader = command.ExecuteReader();
        reader.Read();
        var values = new string[reader.FieldCount];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = reader.IsDBNull(i) ? "null" : System.Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)!;
        }

        return string.Join(' ', values);
    }

    private static string ColumnsStruct(Dataset dataset, bool jsonTimestamps) =>
        "{" + string.Join(", ", dataset.Columns.Select(c =>
            $"'{c.Name}': '{(jsonTimestamps && c.Type == "timestamp" ? "VARCHAR" : SqlTypes[c.Type])}'")) + "}";

    private static string Quote(string path) => "'" + path.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static DuckDBConnection Open()
    {
        var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        return connection;
    }

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
