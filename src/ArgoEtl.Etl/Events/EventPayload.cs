using System.Net;
using System.Text;
using System.Text.Json;
using ArgoEtl.Etl.Storage;

namespace ArgoEtl.Etl.Events;

/// <summary>
/// Finds the objects to process in the event that fired the workflow, in the shapes Argo Events passes on:
/// an S3/MinIO notification (a record, a Records list, or Argo's <c>{"notification":[...]}</c>), an SNS envelope whose
/// <c>Message</c> holds S3 <c>Records</c> (possibly inside Argo's webhook <c>body</c>), and the FTP generic event
/// payload (base64 JSON with the file name, size and time). Object keys in S3 events are URL-encoded and are decoded.
/// </summary>
public static class EventPayload
{
    /// <param name="text">The event JSON, or base64 of it (generic event payloads arrive that way).</param>
    /// <param name="ftpBase">For FTP events: the server and directory the file names are relative to.</param>
    public static IReadOnlyList<ObjectLocation> Parse(string text, string? ftpBase = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var results = new List<ObjectLocation>();
        using (var document = ParseJsonOrBase64(text))
        {
            Collect(document.RootElement, ftpBase, results, depth: 0);
        }

        if (results.Count == 0)
        {
            throw new EtlException(EtlErrors.EventNoObjects, "The event names no object to process: no S3 Records, SNS Message or FTP file name was found.",
                "Pass the event body that Argo Events delivers (for example {{events.<dependency>.body}}), or give the input location directly.", null);
        }

        return results;
    }

    private static JsonDocument ParseJsonOrBase64(string text)
    {
        string trimmed = text.Trim();
        try
        {
            return JsonDocument.Parse(trimmed);
        }
        catch (JsonException) when (TryBase64(trimmed, out var decoded))
        {
            return ParseJsonOrBase64(decoded);
        }
        catch (JsonException ex)
        {
            throw new EtlException(EtlErrors.EventInvalidJson, $"The event is neither JSON nor base64-encoded JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}: {ex.Message}).",
                "Pass the event body as Argo Events delivers it.", null, ex);
        }
    }

    private static bool TryBase64(string text, out string decoded)
    {
        var bytes = new byte[text.Length];
        if (Convert.TryFromBase64String(text, bytes, out int n))
        {
            decoded = Encoding.UTF8.GetString(bytes, 0, n);
            return true;
        }

        decoded = string.Empty;
        return false;
    }

    private static void Collect(JsonElement element, string? ftpBase, List<ObjectLocation> results, int depth)
    {
        if (depth > 8)
        {
            return;
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, ftpBase, results, depth + 1);
                }

                return;
            case JsonValueKind.String:
                // SNS Message and generic payloads carry JSON (or base64 JSON) inside a string.
                string s = element.GetString() ?? string.Empty;
                if (s.Length > 1 && (s.TrimStart().StartsWith('{') || s.TrimStart().StartsWith('[') || TryBase64(s, out _)))
                {
                    try
                    {
                        using var inner = ParseJsonOrBase64(s);
                        Collect(inner.RootElement, ftpBase, results, depth + 1);
                    }
                    catch (EtlException)
                    {
                        // Not JSON after all: a plain string value, nothing to collect.
                    }
                }

                return;
            case JsonValueKind.Object:
                break;
            default:
                return;
        }

        if (TryS3Record(element, out var s3))
        {
            results.Add(s3!);
            return;
        }

        if (TryFtpFile(element, ftpBase, out var ftp))
        {
            results.Add(ftp!);
            return;
        }

        foreach (string name in (string[])["Records", "records", "notification", "Message", "body", "payload", "data"])
        {
            if (element.TryGetProperty(name, out var child))
            {
                Collect(child, ftpBase, results, depth + 1);
            }
        }
    }

    private static bool TryS3Record(JsonElement record, out ObjectLocation? location)
    {
        location = null;
        if (!record.TryGetProperty("s3", out var s3)
            || !s3.TryGetProperty("bucket", out var bucket) || !bucket.TryGetProperty("name", out var bucketName)
            || !s3.TryGetProperty("object", out var obj) || !obj.TryGetProperty("key", out var key))
        {
            return false;
        }

        // S3 and MinIO URL-encode keys in notifications, with '+' for spaces.
        location = ObjectLocation.S3(bucketName.GetString() ?? string.Empty, WebUtility.UrlDecode(key.GetString() ?? string.Empty));
        return true;
    }

    private static bool TryFtpFile(JsonElement element, string? ftpBase, out ObjectLocation? location)
    {
        location = null;
        string? name = element.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()
            : element.TryGetProperty("path", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        if (name is null || !(element.TryGetProperty("size", out _) || element.TryGetProperty("time", out _)))
        {
            return false;
        }

        if (name.StartsWith("ftp://", StringComparison.OrdinalIgnoreCase))
        {
            location = ObjectLocation.Parse(name);
            return true;
        }

        if (ftpBase is null)
        {
            throw new EtlException(EtlErrors.EventFtpBaseMissing, $"The FTP event names file '{name}', but no FTP server was given to read it from.",
                "Pass --ftp-url ftp://host:port/dir (or set ARGOETL_FTP_URL).", name);
        }

        var baseLocation = ObjectLocation.Parse(ftpBase);
        string path = name.StartsWith('/') ? name : $"{baseLocation.Path.TrimEnd('/')}/{name}";
        location = baseLocation.WithPath(path);
        return true;
    }
}
