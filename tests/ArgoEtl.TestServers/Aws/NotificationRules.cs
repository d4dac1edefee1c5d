using System.Xml.Linq;

namespace ArgoEtl.TestServers.Aws;

/// <summary>
/// The checks S3 makes on PutBucketNotificationConfiguration that matter to the module: duplicate ids, configurations
/// that overlap (a shared event type with overlapping prefix and suffix filters), and SNS destinations that do not
/// exist or whose policy does not let S3 publish.
/// </summary>
internal static class NotificationRules
{
    private sealed record Entry(string Id, string Kind, string Destination, IReadOnlyList<string> Events, string Prefix, string Suffix);

    public static string? Validate(XElement config, IReadOnlyDictionary<string, Dictionary<string, string>> topics)
    {
        var entries = new List<Entry>();
        foreach (var element in config.Elements())
        {
            string kind = element.Name.LocalName;
            if (kind == "EventBridgeConfiguration")
            {
                continue;
            }

            string destinationName = kind switch
            {
                "TopicConfiguration" => "Topic",
                "QueueConfiguration" => "Queue",
                "CloudFunctionConfiguration" => "CloudFunction",
                _ => string.Empty,
            };
            if (destinationName.Length == 0)
            {
                return $"Unknown configuration element {kind}.";
            }

            string id = Child(element, "Id") ?? Guid.NewGuid().ToString();
            var events = element.Elements().Where(e => e.Name.LocalName == "Event").Select(e => e.Value).ToList();
            if (events.Count == 0)
            {
                return $"The configuration {id} has no events.";
            }

            var rules = element.Descendants().Where(e => e.Name.LocalName == "FilterRule")
                .ToDictionary(r => (Child(r, "Name") ?? string.Empty).ToLowerInvariant(), r => Child(r, "Value") ?? string.Empty);
            entries.Add(new Entry(id, kind, Child(element, destinationName) ?? string.Empty, events, rules.GetValueOrDefault("prefix") ?? string.Empty, rules.GetValueOrDefault("suffix") ?? string.Empty));
        }

        var duplicate = entries.GroupBy(e => e.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            return $"Configuration id {duplicate.Key} is used more than once.";
        }

        for (int i = 0; i < entries.Count; i++)
        {
            for (int j = i + 1; j < entries.Count; j++)
            {
                if (Overlap(entries[i], entries[j]))
                {
                    return "Configurations overlap. Configurations on the same bucket cannot share a common event type.";
                }
            }
        }

        foreach (var topic in entries.Where(e => e.Kind == "TopicConfiguration"))
        {
            if (!topics.TryGetValue(topic.Destination, out var attributes)
                || !attributes.TryGetValue("Policy", out var policy) || !policy.Contains("s3.amazonaws.com", StringComparison.Ordinal))
            {
                return "Unable to validate the following destination configurations";
            }
        }

        return null;
    }

    private static bool Overlap(Entry a, Entry b) =>
        a.Events.Any(x => b.Events.Any(y => EventsOverlap(x, y)))
        && (a.Prefix.StartsWith(b.Prefix, StringComparison.Ordinal) || b.Prefix.StartsWith(a.Prefix, StringComparison.Ordinal))
        && (a.Suffix.EndsWith(b.Suffix, StringComparison.Ordinal) || b.Suffix.EndsWith(a.Suffix, StringComparison.Ordinal));

    // s3:ObjectCreated:* covers s3:ObjectCreated:Put and the rest of its family.
    private static bool EventsOverlap(string x, string y)
    {
        static string Family(string e) => e.EndsWith(":*", StringComparison.Ordinal) ? e[..^2] : e;
        return x == y || (x.EndsWith(":*", StringComparison.Ordinal) && y.StartsWith(Family(x) + ":", StringComparison.Ordinal))
            || (y.EndsWith(":*", StringComparison.Ordinal) && x.StartsWith(Family(y) + ":", StringComparison.Ordinal));
    }

    private static string? Child(XElement element, string name) => element.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
}
