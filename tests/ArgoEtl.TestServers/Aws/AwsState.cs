using System.Collections.Concurrent;
using System.Xml.Linq;

namespace ArgoEtl.TestServers.Aws;

/// <summary>What the local AWS endpoint remembers: buckets and their notification settings, topics, roles and their inline policies.</summary>
public sealed class AwsState
{
    public const string AccountId = "123456789012";
    public const string AccessKeyId = "AKIDARGOETLTEST00001";
    public const string SecretAccessKey = "argoetl/test/Secret+Key/0123456789abcdef";

    internal object Gate { get; } = new();

    /// <summary>Bucket name → region.</summary>
    internal Dictionary<string, string> Buckets { get; } = new(StringComparer.Ordinal);

    /// <summary>Bucket name → its NotificationConfiguration document.</summary>
    internal Dictionary<string, XElement> Notifications { get; } = new(StringComparer.Ordinal);

    /// <summary>Topic ARN → attributes (Policy, DisplayName, ...).</summary>
    internal Dictionary<string, Dictionary<string, string>> Topics { get; } = new(StringComparer.Ordinal);

    /// <summary>Role name → policy name → policy document (JSON).</summary>
    internal Dictionary<string, Dictionary<string, string>> Roles { get; } = new(StringComparer.Ordinal);

    /// <summary>Subscription ARN → subscription (pending ones included).</summary>
    internal Dictionary<string, SnsSubscription> Subscriptions { get; } = new(StringComparer.Ordinal);

    /// <summary>Access key id → secret access key: the account's users. The default user is always there.</summary>
    internal Dictionary<string, string> AccessKeys { get; } = new(StringComparer.Ordinal) { [AccessKeyId] = SecretAccessKey };

    /// <summary>SNS's HTTP delivery: the signing key, and every POST made to subscribers.</summary>
    public SnsDelivery Sns { get; } = new();

    /// <summary>Lets another user of the account call in (e.g. the S3RVER key, so one environment serves s3rver and this endpoint).</summary>
    public void AddAccessKey(string accessKeyId, string secretAccessKey)
    {
        lock (Gate)
        {
            AccessKeys[accessKeyId] = secretAccessKey;
        }
    }

    /// <summary>The topic's subscriptions, pending ones included.</summary>
    public IReadOnlyList<SnsSubscription> SubscriptionsOf(string topicArn)
    {
        lock (Gate)
        {
            return [.. Subscriptions.Values.Where(s => s.TopicArn == topicArn)];
        }
    }

    /// <summary>ECR repository name → (scan on push, tag mutability).</summary>
    internal Dictionary<string, (bool ScanOnPush, string Mutability)> EcrRepositories { get; } = new(StringComparer.Ordinal);

    /// <summary>The registry GetAuthorizationToken hands out, and the login it accepts (set by the test).</summary>
    internal (Uri Registry, string User, string Password)? EcrRegistry { get; set; }

    /// <summary>Makes GetAuthorizationToken hand out a login for <paramref name="registry"/> (e.g. a local htpasswd registry).</summary>
    public void ConfigureEcr(Uri registry, string user, string password)
    {
        lock (Gate)
        {
            EcrRegistry = (registry, user, password);
        }
    }

    public IReadOnlyDictionary<string, (bool ScanOnPush, string Mutability)> Repositories()
    {
        lock (Gate)
        {
            return new Dictionary<string, (bool, string)>(EcrRepositories);
        }
    }

    /// <summary>Every request that passed signature checks, in order: service, action, whether it changes state.</summary>
    public ConcurrentQueue<AwsCall> Calls { get; } = new();

    internal ConcurrentDictionary<string, Queue<InjectedFault?>> Faults { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Makes calls of <paramref name="action"/> fail with this AWS error: after <paramref name="passFirst"/> calls that
    /// succeed, the next <paramref name="times"/> fail.
    /// </summary>
    public void FailNext(string action, int status, string code, string message = "Injected fault", int times = 1, int passFirst = 0)
    {
        var queue = Faults.GetOrAdd(action, _ => new Queue<InjectedFault?>());
        lock (queue)
        {
            for (int i = 0; i < passFirst; i++)
            {
                queue.Enqueue(null);
            }

            for (int i = 0; i < times; i++)
            {
                queue.Enqueue(new InjectedFault(status, code, message));
            }
        }
    }

    public void AddBucket(string name, string region = "us-east-1")
    {
        lock (Gate)
        {
            Buckets[name] = region;
        }
    }

    public void AddRole(string name)
    {
        lock (Gate)
        {
            Roles.TryAdd(name, new Dictionary<string, string>(StringComparer.Ordinal));
        }
    }

    /// <summary>Adds a topic made by someone else; with <paramref name="allowS3"/> its policy lets S3 publish to it.</summary>
    public void AddTopic(string arn, bool allowS3 = true)
    {
        lock (Gate)
        {
            Topics[arn] = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["TopicArn"] = arn,
                ["Policy"] = allowS3 ? $"{{\"Statement\":[{{\"Effect\":\"Allow\",\"Principal\":{{\"Service\":\"s3.amazonaws.com\"}},\"Action\":\"SNS:Publish\",\"Resource\":\"{arn}\"}}]}}" : "{}",
            };
        }
    }

    /// <summary>Sets a bucket's notification document directly, as another tool would have (no validation).</summary>
    public void SetNotification(string bucket, string xml)
    {
        lock (Gate)
        {
            Notifications[bucket] = XElement.Parse(xml);
        }
    }

    public string? GetNotificationXml(string bucket)
    {
        lock (Gate)
        {
            return Notifications.TryGetValue(bucket, out var doc) ? doc.ToString(SaveOptions.DisableFormatting) : null;
        }
    }

    /// <summary>Deletes a topic as someone working by hand would, to make drift.</summary>
    public void RemoveTopic(string arn)
    {
        lock (Gate)
        {
            Topics.Remove(arn);
        }
    }

    public IReadOnlyList<string> TopicArns()
    {
        lock (Gate)
        {
            return [.. Topics.Keys];
        }
    }

    public string? TopicAttribute(string arn, string name)
    {
        lock (Gate)
        {
            return Topics.TryGetValue(arn, out var attributes) && attributes.TryGetValue(name, out var value) ? value : null;
        }
    }

    public IReadOnlyDictionary<string, string> RolePolicies(string role)
    {
        lock (Gate)
        {
            return Roles.TryGetValue(role, out var policies) ? new Dictionary<string, string>(policies) : new Dictionary<string, string>();
        }
    }

    public int MutatingCalls => Calls.Count(c => c.Mutating);
}

public sealed record AwsCall(string Service, string Action, bool Mutating);

internal sealed record InjectedFault(int Status, string Code, string Message);
