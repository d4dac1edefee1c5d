using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace ArgoEtl.Core.Rendering;

/// <summary>
/// Template values in rawYaml manifests: <c>{{.NAME}}</c>, <c>{{default "x" .NAME}}</c> and <c>{{.NAME | default "x"}}</c>
/// where NAME is upper case (TOPIC_ARN, WEBHOOK_URL), filled from the values a dev session's hooks set. Skaffold does
/// not template rawYaml; ArgoEtl does so that what a -Before hook outputs reaches plain manifests as it reaches Helm's
/// setValueTemplates. Only upper-case names are touched, so Argo's own templates ({{inputs.parameters.x}},
/// {{workflow.name}}, a Sensor's {{ .Input.body }}) pass through unchanged; a plain {{.NAME}} with no value is left as
/// written (visible in Export-EtlManifest), a default form gives its default.
/// </summary>
public static partial class ManifestTemplates
{
    /// <summary>Expands every scalar of <paramref name="node"/> in place; returns how many changed.</summary>
    public static int Expand(YamlNode node, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(values);
        int changed = 0;
        switch (node)
        {
            case YamlScalarNode scalar when scalar.Value is { } text && text.Contains("{{", StringComparison.Ordinal):
                string expanded = ExpandText(text, values);
                if (expanded != text)
                {
                    scalar.Value = expanded;
                    changed++;
                }

                break;
            case YamlMappingNode mapping:
                foreach (var child in mapping.Children.Values)
                {
                    changed += Expand(child, values);
                }

                break;
            case YamlSequenceNode sequence:
                foreach (var child in sequence.Children)
                {
                    changed += Expand(child, values);
                }

                break;
        }

        return changed;
    }

    public static string ExpandText(string text, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(values);
        return Action().Replace(text, m =>
        {
            if (m.Groups["plain"].Success)
            {
                return values.TryGetValue(m.Groups["plain"].Value, out var v) ? v : m.Value;
            }

            string name = m.Groups["pname"].Success ? m.Groups["pname"].Value : m.Groups["dname"].Value;
            string fallback = m.Groups["pname"].Success ? m.Groups["pdefault"].Value : m.Groups["ddefault"].Value;
            return values.TryGetValue(name, out var value) && value.Length > 0 ? value : fallback;
        });
    }

    [GeneratedRegex("""\{\{\s*(?:\.(?<plain>[A-Z][A-Z0-9_]*)|default\s+"(?<ddefault>[^"]*)"\s+\.(?<dname>[A-Z][A-Z0-9_]*)|\.(?<pname>[A-Z][A-Z0-9_]*)\s*\|\s*default\s+"(?<pdefault>[^"]*)")\s*\}\}""")]
    private static partial Regex Action();
}
