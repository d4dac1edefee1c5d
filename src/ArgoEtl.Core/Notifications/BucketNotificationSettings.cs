using Amazon.S3;
using Amazon.S3.Model;

namespace ArgoEtl.Core.Notifications;

/// <summary>
/// A bucket's whole notification configuration, read once and written back whole (S3 has no per-entry API), so that
/// ArgoEtl adds or removes only its own entry and every topic, queue, Lambda and EventBridge setting of others survives.
/// </summary>
public sealed class BucketNotificationSettings
{
    private BucketNotificationSettings(List<TopicConfiguration> topics, List<QueueConfiguration> queues, List<LambdaFunctionConfiguration> lambdas, EventBridgeConfiguration? eventBridge)
    {
        Topics = topics;
        Queues = queues;
        Lambdas = lambdas;
        EventBridge = eventBridge;
    }

    public IReadOnlyList<TopicConfiguration> Topics { get; }

    public IReadOnlyList<QueueConfiguration> Queues { get; }

    public IReadOnlyList<LambdaFunctionConfiguration> Lambdas { get; }

    public EventBridgeConfiguration? EventBridge { get; }

    /// <summary>One entry's filter view: id, kind, events and key filters, whatever its destination.</summary>
    public sealed record Entry(string Id, string Kind, IReadOnlyList<string> Events, string Prefix, string Suffix);

    public static BucketNotificationSettings From(GetBucketNotificationResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);

        // SDK v4 leaves empty lists null.
        return new BucketNotificationSettings(response.TopicConfigurations ?? [], response.QueueConfigurations ?? [], response.LambdaFunctionConfigurations ?? [], response.EventBridgeConfiguration);
    }

    public IEnumerable<Entry> Entries =>
        Topics.Select(t => ToEntry(t.Id, "Topic", t.Events, t.Filter))
            .Concat(Queues.Select(q => ToEntry(q.Id, "Queue", q.Events, q.Filter)))
            .Concat(Lambdas.Select(l => ToEntry(l.Id, "Lambda", l.Events, l.Filter)));

    public TopicConfiguration? Find(string id) => Topics.FirstOrDefault(t => t.Id == id);

    /// <summary>The entries of others that S3 would reject next to ours: a shared event type with overlapping prefix and suffix.</summary>
    public IReadOnlyList<Entry> Conflicts(string id, IReadOnlyList<string> events, string prefix, string suffix) =>
        [.. Entries.Where(e => e.Id != id && e.Events.Any(x => events.Any(y => EventsOverlap(x, y)))
            && (e.Prefix.StartsWith(prefix, StringComparison.Ordinal) || prefix.StartsWith(e.Prefix, StringComparison.Ordinal))
            && (e.Suffix.EndsWith(suffix, StringComparison.Ordinal) || suffix.EndsWith(e.Suffix, StringComparison.Ordinal)))];

    public BucketNotificationSettings With(TopicConfiguration entry) =>
        new([.. Topics.Where(t => t.Id != entry.Id), entry], [.. Queues], [.. Lambdas], EventBridge);

    public BucketNotificationSettings Without(string id) =>
        new([.. Topics.Where(t => t.Id != id)], [.. Queues], [.. Lambdas], EventBridge);

    public PutBucketNotificationRequest ToPutRequest(string bucket, string? expectedOwner) => new()
    {
        BucketName = bucket,
        ExpectedBucketOwner = expectedOwner,
        TopicConfigurations = [.. Topics],
        QueueConfigurations = [.. Queues],
        LambdaFunctionConfigurations = [.. Lambdas],
        EventBridgeConfiguration = EventBridge,
    };

    public static TopicConfiguration NewTopicEntry(string id, string topicArn, IReadOnlyList<string> events, string prefix, string suffix)
    {
        var rules = new List<FilterRule>();
        if (prefix.Length > 0)
        {
            rules.Add(new FilterRule("prefix", prefix));
        }

        if (suffix.Length > 0)
        {
            rules.Add(new FilterRule("suffix", suffix));
        }

        return new TopicConfiguration
        {
            Id = id,
            Topic = topicArn,
            Events = [.. events.Select(e => new EventType(e))],
            Filter = rules.Count == 0 ? null : new Filter { S3KeyFilter = new S3KeyFilter { FilterRules = rules } },
        };
    }

    /// <summary>Same destination, events and filters (what makes a second New a no-op).</summary>
    public static bool SameEntry(TopicConfiguration a, TopicConfiguration b)
    {
        var x = ToEntry(a.Id, "Topic", a.Events, a.Filter);
        var y = ToEntry(b.Id, "Topic", b.Events, b.Filter);
        return a.Topic == b.Topic && x.Prefix == y.Prefix && x.Suffix == y.Suffix && x.Events.Order().SequenceEqual(y.Events.Order());
    }

    public static Entry ToEntry(string? id, string kind, List<EventType>? events, Filter? filter)
    {
        var rules = filter?.S3KeyFilter?.FilterRules ?? [];
        string Rule(string name) => rules.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase))?.Value ?? string.Empty;
        return new Entry(id ?? string.Empty, kind, [.. (events ?? []).Select(e => e.Value)], Rule("prefix"), Rule("suffix"));
    }

    // s3:ObjectCreated:* covers s3:ObjectCreated:Put and the rest of its family.
    private static bool EventsOverlap(string x, string y)
    {
        static bool Covers(string wide, string narrow) => wide.EndsWith(":*", StringComparison.Ordinal) && narrow.StartsWith(wide[..^1], StringComparison.Ordinal);
        return x == y || Covers(x, y) || Covers(y, x);
    }
}
