using System.Collections.ObjectModel;

namespace ArgoEtl.Etl.Schema;

/// <summary>
/// The ordered columns of a CSV file. Written and read in the compact form <c>no:int64,name:string,score:int32</c>,
/// which is also what a schema file and the inference report use.
/// </summary>
public sealed class TableSchema
{
    private static readonly Dictionary<string, ColumnType> TypeNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["string"] = ColumnType.String, ["str"] = ColumnType.String, ["utf8"] = ColumnType.String, ["varchar"] = ColumnType.String,
        ["int32"] = ColumnType.Int32, ["int"] = ColumnType.Int32, ["integer"] = ColumnType.Int32,
        ["int64"] = ColumnType.Int64, ["long"] = ColumnType.Int64, ["bigint"] = ColumnType.Int64,
        ["double"] = ColumnType.Double, ["float64"] = ColumnType.Double, ["float"] = ColumnType.Double,
        ["bool"] = ColumnType.Boolean, ["boolean"] = ColumnType.Boolean,
        ["date"] = ColumnType.Date,
        ["timestamp"] = ColumnType.Timestamp, ["datetime"] = ColumnType.Timestamp,
    };

    public TableSchema(IEnumerable<ColumnDefinition> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var list = columns.ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in list)
        {
            if (!seen.Add(c.Name))
            {
                throw new EtlException(EtlErrors.SchemaDuplicateColumn, $"The schema names column '{c.Name}' twice.", "Give every column a distinct name.", c.Name);
            }
        }

        Columns = new ReadOnlyCollection<ColumnDefinition>(list);
    }

    public IReadOnlyList<ColumnDefinition> Columns { get; }

    public int Count => Columns.Count;

    /// <summary>
    /// Parses <c>name:type,name:type</c>. A column without a type is a string. A ';' or a type written after a space
    /// (<c>id int32;name</c>) is a syntax error naming its position, not part of a column name.
    /// </summary>
    public static TableSchema Parse(string text, string source = "schema")
    {
        ArgumentNullException.ThrowIfNull(text);
        var columns = new List<ColumnDefinition>();
        var parts = text.Split(',');
        int offset = 0;
        for (int i = 0; i < parts.Length; offset += parts[i].Length + 1, i++)
        {
            var part = parts[i].Trim();
            if (part.Length == 0)
            {
                throw SchemaError(source, i + 1, part, "an empty entry", offset + 1);
            }

            int semicolon = parts[i].IndexOf(';', StringComparison.Ordinal);
            if (semicolon >= 0)
            {
                throw SchemaError(source, i + 1, part, "a ';' (columns are separated by ',', a name from its type by ':')", offset + semicolon + 1);
            }

            int colon = part.IndexOf(':', StringComparison.Ordinal);
            string name = (colon < 0 ? part : part[..colon]).Trim();
            string typeName = colon < 0 ? "string" : part[(colon + 1)..].Trim();
            if (name.Length == 0)
            {
                throw SchemaError(source, i + 1, part, "no column name", offset + 1);
            }

            int space = name.LastIndexOf(' ');
            if (colon < 0 && space > 0 && TypeNames.ContainsKey(name[(space + 1)..]))
            {
                throw SchemaError(source, i + 1, part, $"a type after a space (write '{name[..space].Trim()}:{name[(space + 1)..]}')",
                    offset + parts[i].IndexOf(name, StringComparison.Ordinal) + space + 1);
            }

            columns.Add(new ColumnDefinition(name, ParseType(typeName, source, i + 1, part)));
        }

        return new TableSchema(columns);
    }

    public static ColumnType ParseType(string typeName, string source, int entry, string entryText)
    {
        ArgumentNullException.ThrowIfNull(typeName);
        if (TypeNames.TryGetValue(typeName, out var t))
        {
            return t;
        }

        throw new EtlException(EtlErrors.SchemaUnknownType, $"{source}: entry {entry} '{entryText}' has unknown type '{typeName}'.",
            "Use one of: string, int32, int64, double, boolean, date, timestamp.", entryText);
    }

    public static string TypeName(ColumnType type) => type switch
    {
        ColumnType.String => "string",
        ColumnType.Int32 => "int32",
        ColumnType.Int64 => "int64",
        ColumnType.Double => "double",
        ColumnType.Boolean => "boolean",
        ColumnType.Date => "date",
        ColumnType.Timestamp => "timestamp",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    public override string ToString() => string.Join(',', Columns);

    private static EtlException SchemaError(string source, int entry, string text, string what, int position) =>
        new(EtlErrors.SchemaInvalid, $"{source}: entry {entry} '{text}' (character {position}) has {what}.",
            "Write the schema as name:type pairs separated by commas, e.g. 'no:int64,name:string,score:int32'.", text);
}
