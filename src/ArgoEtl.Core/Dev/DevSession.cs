using System.Text;
using System.Text.RegularExpressions;
using ArgoEtl.Core.Kubernetes;
using ArgoEtl.Core.Projects;

namespace ArgoEtl.Core.Dev;

/// <summary>
/// What hooks see of a running dev session — the profile and what the last deploy applied — and what they hand back:
/// template values (<c>{{.TOPIC_ARN}}</c>) the next render uses, in Helm's setValueTemplates, valuesFiles and namespace
/// and in rawYaml manifests, beside the environment and the built images. The values replace the values files a
/// setup script used to write: a before-render hook (Start-EtlDev -Before) that outputs an EtlS3Notification makes
/// TOPIC_ARN, BUCKET, REGION, ... available to the render that follows it. Thread-safe.
/// </summary>
public sealed partial class DevSession
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private IReadOnlyList<AppliedObject> _deployed = [];
    private EtlProfile _profile;

    public DevSession(EtlProfile profile) => _profile = profile ?? throw new ArgumentNullException(nameof(profile));

    /// <summary>The profile the loop works on now (the reloaded one after a skaffold.yaml change).</summary>
    public EtlProfile Profile
    {
        get { lock (_gate) { return _profile; } }
        internal set { lock (_gate) { _profile = value; } }
    }

    /// <summary>What the last successful deploy applied; empty before the first one.</summary>
    public IReadOnlyList<AppliedObject> Deployed
    {
        get { lock (_gate) { return _deployed; } }
        internal set { lock (_gate) { _deployed = value; } }
    }

    /// <summary>The template values hooks set, by name.</summary>
    public IReadOnlyDictionary<string, string> Values
    {
        get { lock (_gate) { return new Dictionary<string, string>(_values, StringComparer.Ordinal); } }
    }

    /// <summary>Sets a template value; a name must be usable as <c>{{.NAME}}</c>.</summary>
    public void SetValue(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        if (!NamePattern().IsMatch(name))
        {
            throw new EtlException(EtlErrors.DevTemplateValueName, EtlErrorKind.InvalidArgument, $"Template value name '{name}' cannot be used as {{{{.{name}}}}}.",
                "Use letters, digits and '_', starting with a letter or '_' (e.g. TOPIC_ARN).", name);
        }

        lock (_gate)
        {
            _values[name] = value;
        }
    }

    /// <summary>The template value name for an object's property: TopicArn → TOPIC_ARN, AccountId → ACCOUNT_ID, s3Prefix → S3_PREFIX.</summary>
    public static string ValueName(string propertyName)
    {
        ArgumentNullException.ThrowIfNull(propertyName);
        var sb = new StringBuilder(propertyName.Length + 4);
        for (int i = 0; i < propertyName.Length; i++)
        {
            char c = propertyName[i];
            if (!char.IsAsciiLetterOrDigit(c))
            {
                sb.Append('_');
                continue;
            }

            // A word starts at an upper-case letter after a lower-case letter or digit, or before a lower-case one in a run (URLPath → URL_PATH).
            bool boundary = i > 0 && char.IsAsciiLetterUpper(c) && (char.IsAsciiLetterLower(propertyName[i - 1]) || char.IsAsciiDigit(propertyName[i - 1])
                || (i + 1 < propertyName.Length && char.IsAsciiLetterLower(propertyName[i + 1]) && char.IsAsciiLetterUpper(propertyName[i - 1])));
            if (boundary && sb.Length > 0 && sb[^1] != '_')
            {
                sb.Append('_');
            }

            sb.Append(char.ToUpperInvariant(c));
        }

        return sb.ToString();
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex NamePattern();
}
