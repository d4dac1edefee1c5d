using System.Globalization;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ArgoEtl.FtpEvents.Config;

/// <summary>
/// Reads an EventSource's <c>config</c> (YAML, or JSON, which is YAML too). Every error is an
/// <see cref="EtlException"/> with code <c>FtpEventsConfigInvalid</c> whose <see cref="EtlException.Target"/> is the
/// field's name, so the gRPC layer can end the stream with InvalidArgument naming it.
/// </summary>
internal static class WatchConfigParser
{
    public const string ErrorCode = nameof(EtlErrors.FtpEventsConfigInvalid);

    private static readonly string[] Known = ["host", "port", "dir", "recursive", "include", "exclude", "pollInterval", "stableFor", "passive", "startFrom", "checkpoint", "listing"];

    public static WatchConfig Parse(ReadOnlySpan<byte> bytes)
    {
        string text = Encoding.UTF8.GetString(bytes);
        YamlMappingNode root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            root = stream.Documents.Count == 1 && stream.Documents[0].RootNode is YamlMappingNode m
                ? m : throw Error("config", "The config is not a mapping of settings (host, dir, ...).");
        }
        catch (YamlException ex)
        {
            throw Error("config", $"The config is neither YAML nor JSON (line {ex.Start.Line}, column {ex.Start.Column}: {ex.Message}).");
        }

        var values = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in root.Children)
        {
            string key = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
            if (key.Contains("password", StringComparison.OrdinalIgnoreCase) || key is "user" or "username" or "pass")
            {
                throw Error(key, $"The config may not hold credentials ('{key}'): they would be visible in the EventSource manifest.",
                    "Remove it; give the event server FTP_USER and FTP_PASSWORD (or FTP_USER_FILE / FTP_PASSWORD_FILE) from a Secret.");
            }

            if (!Known.Contains(key, StringComparer.Ordinal))
            {
                throw Error(key, $"Unknown config field '{key}'.", "Known fields: " + string.Join(", ", Known) + ".");
            }

            values[key] = value;
        }

        string? host = Scalar(values, "host");
        if (string.IsNullOrWhiteSpace(host))
        {
            throw Error("host", "The config needs 'host', the FTP server's name or address.");
        }

        var config = new WatchConfig { Host = host.Trim() };
        if (Scalar(values, "port") is { } port)
        {
            config = config with
            {
                Port = int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int p) && p is > 0 and < 65536
                    ? p : throw Error("port", $"'port' must be a TCP port (1-65535), not '{port}'."),
            };
        }

        if (Scalar(values, "dir") is { } dir)
        {
            config = config with { Dir = "/" + dir.Trim().Trim('/') };
        }

        config = config with
        {
            Recursive = Bool(values, "recursive") ?? false,
            Passive = Bool(values, "passive") ?? true,
            Include = Globs(values, "include"),
            Exclude = Globs(values, "exclude"),
            PollInterval = Duration(values, "pollInterval") ?? config.PollInterval,
            StableFor = Duration(values, "stableFor") ?? config.StableFor,
        };
        if (config.PollInterval <= TimeSpan.Zero)
        {
            throw Error("pollInterval", "'pollInterval' must be more than zero.");
        }

        if (!config.Passive)
        {
            // Active mode needs the FTP server to connect back to this pod, which a cluster's network rarely allows.
            throw Error("passive", "'passive: false' (active FTP) is not supported by this event server.", "Use passive mode (the default); give the FTP server passive ports it can reach.");
        }

        if (Scalar(values, "startFrom") is { } startFrom)
        {
            config = config with
            {
                StartFrom = startFrom.Trim().ToLowerInvariant() switch
                {
                    "now" => StartFrom.Now,
                    "all" => StartFrom.All,
                    _ => throw Error("startFrom", $"'startFrom' must be 'now' or 'all', not '{startFrom}'."),
                },
            };
        }

        if (Scalar(values, "listing") is { } listing)
        {
            config = config with
            {
                Listing = listing.Trim().ToLowerInvariant() switch
                {
                    "auto" => Ftp.ListingMethod.Auto,
                    "mlsd" => Ftp.ListingMethod.Mlsd,
                    "nlst" => Ftp.ListingMethod.Nlst,
                    "list" => Ftp.ListingMethod.List,
                    _ => throw Error("listing", $"'listing' must be auto, mlsd, nlst or list, not '{listing}'."),
                },
            };
        }

        if (Scalar(values, "checkpoint") is { Length: > 0 } checkpoint)
        {
            config = config with { Checkpoint = Path.GetFullPath(checkpoint.Trim()) };
        }

        return config;
    }

    private static string? Scalar(Dictionary<string, YamlNode> values, string key)
    {
        if (!values.TryGetValue(key, out var node))
        {
            return null;
        }

        return node is YamlScalarNode scalar ? scalar.Value : throw Error(key, $"'{key}' must be a single value.");
    }

    private static bool? Bool(Dictionary<string, YamlNode> values, string key) => Scalar(values, key) switch
    {
        null => null,
        "true" or "True" or "TRUE" or "yes" => true,
        "false" or "False" or "FALSE" or "no" => false,
        string other => throw Error(key, $"'{key}' must be true or false, not '{other}'."),
    };

    private static TimeSpan? Duration(Dictionary<string, YamlNode> values, string key)
    {
        string? text = Scalar(values, key);
        if (text is null)
        {
            return null;
        }

        return GoDuration.TryParse(text, out var duration) && duration >= TimeSpan.Zero
            ? duration : throw Error(key, $"'{key}' must be a duration like 10s, 1m30s or 500ms, not '{text}'.");
    }

    private static List<PathGlob> Globs(Dictionary<string, YamlNode> values, string key)
    {
        if (!values.TryGetValue(key, out var node))
        {
            return [];
        }

        IEnumerable<string?> patterns = node switch
        {
            YamlScalarNode s => [s.Value],
            YamlSequenceNode seq => seq.Children.Select(c => (c as YamlScalarNode)?.Value),
            _ => throw Error(key, $"'{key}' must be a glob or a list of globs."),
        };
        var globs = new List<PathGlob>();
        foreach (string? pattern in patterns)
        {
            try
            {
                globs.Add(PathGlob.Parse(pattern ?? string.Empty));
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException)
            {
                throw Error(key, $"'{key}' holds a pattern that is not a glob ('{pattern}'): {ex.Message}");
            }
        }

        return globs;
    }

    private static EtlException Error(string field, string message, string? suggestion = null) =>
        new(EtlErrors.FtpEventsConfigInvalid, message, suggestion ?? "Fix the EventSource's spec.generic.<name>.config.", field);
}
