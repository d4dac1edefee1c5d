using System.Globalization;
using System.Xml.Linq;

namespace ArgoEtl.Core.Targets.Local.Store;

/// <summary>The XML shapes S3 answers with: its namespace, its date format, and a document with its declaration.</summary>
internal static class S3Xml
{
    public static readonly XNamespace Ns = "http://s3.amazonaws.com/doc/2006-03-01/";

    public static XElement E(string name, params object?[] content) => new(Ns + name, content);

    public static string Date(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string Document(XElement root) =>
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + root.ToString(SaveOptions.DisableFormatting);

    /// <summary>The element's child (by local name, any namespace: clients differ in whether they send S3's namespace).</summary>
    public static IEnumerable<XElement> Children(XElement parent, string localName) =>
        parent.Elements().Where(e => e.Name.LocalName == localName);

    public static string? Child(XElement parent, string localName) => Children(parent, localName).FirstOrDefault()?.Value;
}
