using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ArgoEtl.Core.Projects;

/// <summary>One YAML document of a file, with where it starts (for messages that name file:line).</summary>
public sealed record YamlDocumentAt(string File, int Line, YamlNode Root);

/// <summary>
/// Reads YAML files with positions kept: every parse error names file:line:column and the parser's message, and every
/// node knows its line, so later errors and lint findings can point at the field.
/// </summary>
public static class YamlFile
{
    /// <summary>Each repair re-reads the text; a real manifest has a handful of such scalars, not thousands.</summary>
    private const int MaxRepairs = 1_000;

    public static IReadOnlyList<YamlDocumentAt> Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new EtlException(EtlErrors.YamlFileUnreadable, $"Cannot read {path}: {ex.Message}", "Check the path and its permissions.", path, ex);
        }

        return Parse(text, path);
    }

    public static IReadOnlyList<YamlDocumentAt> Parse(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = AsKubectlReadsIt(text, path);
        var stream = new YamlStream();
        try
        {
            using var reader = new StringReader(text);
            stream.Load(reader);
        }
        catch (YamlException ex)
        {
            throw YamlLimits.SyntaxError(path, ex);
        }

        // Empty documents (a trailing '---', comments only) carry nothing.
        return [.. stream.Documents.Where(d => d.RootNode is not YamlScalarNode { Value: null or "" }).Select(d => new YamlDocumentAt(path, (int)d.RootNode.Start.Line, d.RootNode))];
    }

    /// <summary>
    /// Checks the text's limits and syntax, first repairing what go-yaml accepts and YamlDotNet refuses (see
    /// <see cref="QuotedScalarIndentation"/>); each repair fixes one scalar and keeps every line number.
    /// </summary>
    private static string AsKubectlReadsIt(string text, string path)
    {
        for (int repaired = 0; ; repaired++)
        {
            try
            {
                YamlLimits.Check(text, path);
                return text;
            }
            catch (EtlException ex) when (ex.InnerException is YamlException yaml && QuotedScalarIndentation.IsWrongIndentation(yaml)
                && repaired < MaxRepairs && QuotedScalarIndentation.Indent(text, yaml.Start) is { } repairedText)
            {
                text = repairedText;
            }
        }
    }

    /// <summary>
    /// The document as JSON, typed by the YAML 1.2 core schema (plain true/false, null/~, integers and floats; quoted
    /// scalars stay strings), and every node's line by its JSON Pointer.
    /// </summary>
    public static JsonNode? ToJson(YamlNode node, IDictionary<string, int>? lines = null, string pointer = "")
    {
        lines?.TryAdd(pointer, (int)node.Start.Line);
        switch (node)
        {
            case YamlMappingNode map:
                var obj = new JsonObject();
                foreach (var (key, value) in map.Children)
                {
                    string name = ((YamlScalarNode)key).Value ?? string.Empty;
                    obj[name] = ToJson(value, lines, pointer + "/" + Escape(name));
                }

                return obj;
            case YamlSequenceNode seq:
                var arr = new JsonArray();
                int i = 0;
                foreach (var item in seq.Children)
                {
                    arr.Add(ToJson(item, lines, pointer + "/" + (i++).ToString(CultureInfo.InvariantCulture)));
                }

                return arr;
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                return null;
        }
    }

    public static JsonNode? Scalar(YamlScalarNode scalar)
    {
        string? value = scalar.Value;
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded || scalar.Tag == "tag:yaml.org,2002:str")
        {
            return JsonValue.Create(value ?? string.Empty);
        }

        return value switch
        {
            null or "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l) => JsonValue.Create(l),
            _ when value.Contains('.', StringComparison.Ordinal) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) => JsonValue.Create(d),
            _ => JsonValue.Create(value),
        };
    }

    public static string Escape(string name) => name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}
