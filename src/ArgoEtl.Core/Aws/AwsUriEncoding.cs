using System.Globalization;
using System.Text;

namespace ArgoEtl.Core.Aws;

/// <summary>
/// SigV4's URI encoding, shared by the query-protocol client's form and the local store's canonical requests: RFC 3986
/// unreserved characters stay, every other UTF-8 byte becomes %XX with upper-case hex (AWS's canonical form).
/// </summary>
internal static class AwsUriEncoding
{
    public static string Encode(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (byte b in Encoding.UTF8.GetBytes(value))
        {
            char c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                sb.Append(c);
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }
}
