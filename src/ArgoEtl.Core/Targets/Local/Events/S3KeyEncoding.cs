using System.Text;

namespace ArgoEtl.Core.Targets.Local.Events;

/// <summary>
/// How object keys are written into S3 event records. AWS S3 URL-encodes the key with '+' for a space and keeps '/'
/// ("red flower.jpg" becomes "red+flower.jpg"). MinIO escapes keys like Go's url.QueryEscape ('/' too) for its
/// notification targets, but not for ListenBucketNotification, the API Argo Events' minio source uses
/// (MinIO cmd/event-notification.go: <c>ToEvent(false)</c> for the listen API) — there the key is as stored.
/// </summary>
public static class S3KeyEncoding
{
    /// <summary>The key as AWS writes it in S3 event records (and so inside SNS messages from S3).</summary>
    public static string ForAwsRecord(string key) => Escape(key, keepSlash: true);

    /// <summary>Go's url.QueryEscape: what MinIO writes for its webhook/queue targets ('/' becomes %2F).</summary>
    public static string QueryEscape(string key) => Escape(key, keepSlash: false);

    private static string Escape(string key, bool keepSlash)
    {
        var builder = new StringBuilder(key.Length + 8);
        foreach (byte b in Encoding.UTF8.GetBytes(key))
        {
            char c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~' || (keepSlash && c == '/'))
            {
                builder.Append(c);
            }
            else if (c == ' ')
            {
                builder.Append('+');
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }
}
