using System.Text;
using System.Text.RegularExpressions;

namespace ArgoEtl.Core.Rendering;

/// <summary>
/// Skaffold's template values and the subset of Go templates its configs use: {{.NAME}}, {{default "x" .NAME}} and
/// {{.NAME | default "x"}}. Names are environment variables plus, per built image, IMAGE_FULLY_QUALIFIED_x, IMAGE_REPO_x,
/// IMAGE_TAG_x, IMAGE_DIGEST_x, IMAGE_DOMAIN_x and IMAGE_REPO_NO_DOMAIN_x, where x is the artifact's image name with
/// every character other than a letter or digit made '_' (minio-etl → minio_etl). A missing name renders as Go's
/// "&lt;no value&gt;", as Skaffold does.
/// </summary>
public static partial class TemplateValues
{
    public static IReadOnlyDictionary<string, string> For(IReadOnlyDictionary<string, string> builtImages, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(builtImages);
        ArgumentNullException.ThrowIfNull(environment);
        var values = new Dictionary<string, string>(environment, StringComparer.Ordinal);
        foreach (var (artifact, built) in builtImages)
        {
            var reference = ImageReference.Parse(built);
            string key = Sanitize(artifact);
            values[$"IMAGE_FULLY_QUALIFIED_{key}"] = built;
            values[$"IMAGE_REPO_{key}"] = reference.Repository;
            values[$"IMAGE_TAG_{key}"] = reference.Tag ?? string.Empty;
            values[$"IMAGE_DIGEST_{key}"] = reference.Digest ?? string.Empty;
            values[$"IMAGE_DOMAIN_{key}"] = reference.Domain ?? string.Empty;
            values[$"IMAGE_REPO_NO_DOMAIN_{key}"] = reference.Path;
        }

        return values;
    }

    public static string Sanitize(string imageName)
    {
        var sb = new StringBuilder(imageName.Length);
        foreach (char c in imageName)
        {
            sb.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
        }

        return sb.ToString();
    }

    public static string Expand(string template, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(values);
        return Action().Replace(template, m =>
        {
            string body = m.Groups[1].Value.Trim();
            var piped = PipedDefault().Match(body);
            if (piped.Success)
            {
                return Lookup(values, piped.Groups[1].Value, emptyIsMissing: true) ?? piped.Groups[2].Value;
            }

            var prefixed = PrefixDefault().Match(body);
            if (prefixed.Success)
            {
                return Lookup(values, prefixed.Groups[2].Value, emptyIsMissing: true) ?? prefixed.Groups[1].Value;
            }

            if (body.StartsWith('.') && SimpleName().IsMatch(body[1..]))
            {
                return Lookup(values, body[1..], emptyIsMissing: false) ?? "<no value>";
            }

            throw new EtlException(EtlErrors.TemplateUnsupported, $"Template '{m.Value}' uses more than Skaffold's {{{{.NAME}}}} and 'default' forms.",
                "Use {{.NAME}} or {{default \"value\" .NAME}}.", template);
        });
    }

    // 'default' treats an empty value as missing (as sprig does); a plain {{.NAME}} prints it empty.
    private static string? Lookup(IReadOnlyDictionary<string, string> values, string name, bool emptyIsMissing) =>
        values.TryGetValue(name.TrimStart('.'), out var value) && (value.Length > 0 || !emptyIsMissing) ? value : null;

    [GeneratedRegex(@"\{\{(.*?)\}\}")]
    private static partial Regex Action();

    [GeneratedRegex("""^(\.[A-Za-z_][A-Za-z0-9_]*)\s*\|\s*default\s+"([^"]*)"$""")]
    private static partial Regex PipedDefault();

    [GeneratedRegex("""^default\s+"([^"]*)"\s+(\.[A-Za-z_][A-Za-z0-9_]*)$""")]
    private static partial Regex PrefixDefault();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex SimpleName();
}
