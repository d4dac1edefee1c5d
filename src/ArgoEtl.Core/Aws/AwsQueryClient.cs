using System.Text;
using System.Xml.Linq;

namespace ArgoEtl.Core.Aws;

/// <summary>
/// The AWS Query protocol (SNS, IAM, STS, ELBv2) and its EC2 dialect: a form-encoded POST of Action, Version and
/// parameters, answered with XML whose &lt;ActionResult&gt; holds the data (EC2: the response element itself) and whose
/// &lt;ErrorResponse&gt; (EC2: &lt;Response&gt;&lt;Errors&gt;) holds Code and Message.
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

    /// <summary>EC2's dialect: the data are the children of the &lt;ActionResponse&gt; itself, lists are &lt;item&gt;s.</summary>
    public bool ResultIsRoot { get; init; }

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
        if (response.Body.Length == 0)
        {
            return new XElement(action + "Result");
        }

        var root = XElement.Parse(response.Body);
        if (ResultIsRoot)
        {
            return root;
        }

        return root.Elements().FirstOrDefault(e => e.Name.LocalName == action + "Result") ?? new XElement(action + "Result");
    }

    /// <summary>Reads Code and Message from an &lt;ErrorResponse&gt; (Query) or &lt;Error&gt; (S3) body.</summary>
    public static AwsServiceException? ParseError(AwsHttpResponse response, string service, string action)
    {
        try
        {
            var root = XElement.Parse(response.Body);
            // Query: ErrorResponse/Error; S3: Error; EC2: Response/Errors/Error.
            var error = root.Name.LocalName == "Error" ? root : root.Descendants().FirstOrDefault(e => e.Name.LocalName == "Error");
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
        parent.Elements().Where(e => e.Name.LocalName == listName).Elements().Where(e => e.Name.LocalName is "member" or "entry" or "item");

    /// <summary>A list parameter as the Query protocol spells it: Name.member.1, Name.member.2, ...</summary>
    public static IEnumerable<KeyValuePair<string, string>> List(string name, IEnumerable<string> values) =>
        values.Select((v, i) => new KeyValuePair<string, string>($"{name}.member.{i + 1}", v));

    /// <summary>Tags as IAM and ELBv2 take them: Tags.member.N.Key / Tags.member.N.Value.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Tags(IEnumerable<KeyValuePair<string, string>> tags) =>
        tags.SelectMany((t, i) => new KeyValuePair<string, string>[] { new($"Tags.member.{i + 1}.Key", t.Key), new($"Tags.member.{i + 1}.Value", t.Value) });

    private static string Encode(string value) => AwsUriEncoding.Encode(value);
}
