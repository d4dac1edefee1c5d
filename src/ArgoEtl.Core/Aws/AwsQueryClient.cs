using System.Text;
using System.Xml.Linq;

namespace ArgoEtl.Core.Aws;

/// <summary>
/// The AWS Query protocol (SNS, IAM, STS): a form-encoded POST of Action, Version and parameters, answered with XML
/// whose &lt;ActionResult&gt; holds the data and whose &lt;ErrorResponse&gt; holds Code and Message.
/// </summary>
public sealed class AwsQueryClient
{
    private readonly SignedHttpClient _http;
    private readonly Uri _endpoint;

    public AwsQueryClient(SignedHttpClient http, string service, string version, Uri endpoint, string signingRegion)
    {
        _http = http;
        Service = service;
        Version = version;
        _endpoint = endpoint;
        SigningRegion = signingRegion;
    }

    public string Service { get; }

    public string Version { get; }

    public string SigningRegion { get; }

    /// <summary>Calls <paramref name="action"/> and returns its &lt;ActionResult&gt; element (empty when the action returns nothing).</summary>
    public async Task<XElement> CallAsync(string action, IEnumerable<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken)
    {
        var form = new StringBuilder();
        form.Append("Action=").Append(Encode(action)).Append("&Version=").Append(Encode(Version));
        foreach (var (key, value) in parameters)
        {
            form.Append('&').Append(Encode(key)).Append('=').Append(Encode(value));
        }

        var response = await _http.SendAsync(Service, action, SigningRegion, HttpMethod.Post, _endpoint, Encoding.UTF8.GetBytes(form.ToString()),
            "application/x-www-form-urlencoded; charset=utf-8", null, cancellationToken).ConfigureAwait(false);
        var root = XElement.Parse(response.Body);
        return root.Elements().FirstOrDefault(e => e.Name.LocalName == action + "Result") ?? new XElement(action + "Result");
    }

    /// <summary>Reads Code and Message from an &lt;ErrorResponse&gt; (Query) or &lt;Error&gt; (S3) body.</summary>
    public static AwsServiceException? ParseError(AwsHttpResponse response, string service, string action)
    {
        try
        {
            var root = XElement.Parse(response.Body);
            var error = root.Name.LocalName == "Error" ? root : root.Elements().FirstOrDefault(e => e.Name.LocalName == "Error");
            if (error is null)
            {
                return null;
            }

            return new AwsServiceException(service, action, response.Status, Text(error, "Code") ?? response.Status.ToString(), Text(error, "Message") ?? string.Empty);
        }
        catch (System.Xml.XmlException)
        {
            return null;
        }
    }

    public static string? Text(XElement parent, string localName) =>
        parent.Elements().FirstOrDefault(e => e.Name.LocalName == localName)?.Value;

    public static IEnumerable<XElement> Members(XElement parent, string listName) =>
        parent.Elements().Where(e => e.Name.LocalName == listName).Elements().Where(e => e.Name.LocalName is "member" or "entry");

    private static string Encode(string value) => AwsUriEncoding.Encode(value);
}
