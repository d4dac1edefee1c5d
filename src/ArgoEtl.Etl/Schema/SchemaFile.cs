using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ArgoEtl.Etl.Schema;

/// <summary>
/// Reads a schema file: either the compact one-line form (<c>no:int64,name:string</c>) or YAML
/// (<c>columns: [{name: no, type: int64}, ...]</c>), reporting the file and line of a mistake.
/// </summary>
public static class SchemaFile
{
    public static TableSchema Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new EtlException(EtlErrors.SchemaFileNotFound, $"Schema file '{path}' does not exist.",
                "Check the path, or pass the schema inline as 'name:type,...'.", path);
        }

        string text = File.ReadAllText(path);
        string trimmed = text.Trim();
        return trimmed.StartsWith("columns", StringComparison.Ordinal) || trimmed.StartsWith('-') || trimmed.StartsWith('{')
            ? ParseYaml(text, path)
            : TableSchema.Parse(trimmed, path);
    }

    public static TableSchema ParseYaml(string text, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new EtlException(EtlErrors.SchemaFileInvalidYaml, $"{source}:{ex.Start.Line}:{ex.Start.Column}: {ex.Message}", "Fix the YAML syntax at that position.", source, ex);
        }

        var root = stream.Documents.Count > 0 ? stream.Documents[0].RootNode : null;
        YamlSequenceNode? list = root switch
        {
            YamlMappingNode map when map.Children.TryGetValue(new YamlScalarNode("columns"), out var c) => c as YamlSequenceNode,
            YamlSequenceNode seq => seq,
            _ => null,
        };
        if (list is null)
        {
            throw new EtlException(EtlErrors.SchemaFileInvalid, $"{source}:{root?.Start.Line ?? 1}: expected a 'columns' list of {{name, type}} entries.",
                "Write 'columns:' followed by '- name: no' / '  type: int64' entries.", source);
        }

        var columns = new List<ColumnDefinition>();
        int entry = 0;
        foreach (var node in list.Children)
        {
            entry++;
            if (node is not YamlMappingNode item
                || !item.Children.TryGetValue(new YamlScalarNode("name"), out var nameNode)
                || nameNode is not YamlScalarNode { Value.Length: > 0 } name)
            {
                throw new EtlException(EtlErrors.SchemaFileInvalid, $"{source}:{node.Start.Line}: column entry {entry} has no 'name'.", "Give each entry a 'name' and a 'type'.", source);
            }

            string typeName = item.Children.TryGetValue(new YamlScalarNode("type"), out var typeNode) && typeNode is YamlScalarNode ts
                ? ts.Value ?? "string"
                : "string";
            columns.Add(new ColumnDefinition(name.Value!, TableSchema.ParseType(typeName, $"{source}:{node.Start.Line}", entry, name.Value!)));
        }

        return new TableSchema(columns);
    }
}
