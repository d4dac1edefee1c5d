using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ArgoEtl.TestServers.Aws;

/// <summary>
/// A stateful, signature-checking stand-in for the parts of AWS the module calls: S3 bucket location and notification
/// configuration, SNS topics, IAM role inline policies and STS GetCallerIdentity, all on one loopback port (as
/// LocalStack does). The service is taken from the SigV4 credential scope. Test-only controls live under /_argoetl/.
/// </summary>
public sealed partial class LocalAwsServer : IAsyncDisposable
{
    private LoopbackHost _host = null!;

    private LocalAwsServer(AwsState state) => State = state;

    public AwsState State { get; }

    public Uri Endpoint => _host.Endpoint;

    public static async Task<LocalAwsServer> StartAsync(int port = 0)
    {
        var server = new LocalAwsServer(new AwsState());
        server._host = await LoopbackHost.StartAsync(server.HandleAsync, port).ConfigureAwait(false);
        return server;
    }

    public Task WaitForShutdownAsync() => _host.WaitForShutdownAsync();

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync().ConfigureAwait(false);
        State.Sns.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body).ConfigureAwait(false);
        byte[] content = body.ToArray();
        string rawTarget = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        int q = rawTarget.IndexOf('?', StringComparison.Ordinal);
        string rawPath = q < 0 ? rawTarget : rawTarget[..q];
        string rawQuery = q < 0 ? string.Empty : rawTarget[(q + 1)..];

        if (rawPath.StartsWith("/_argoetl/", StringComparison.Ordinal))
        {
            await ControlAsync(context, rawPath, content).ConfigureAwait(false);
            return;
        }

        var auth = SigV4Verifier.Authorization.Parse(request.Headers.Authorization);
        if (auth is null && request.Method == "GET" && ParseForm(rawQuery).GetValueOrDefault("Action") is "ConfirmSubscription" or "Unsubscribe")
        {
            // The SubscribeURL and UnsubscribeURL of SNS messages work without a signature: the token is the proof.
            var unsigned = ParseForm(rawQuery);
            await QueryAsync(context, "sns", RegionOf(unsigned.GetValueOrDefault("TopicArn") ?? unsigned.GetValueOrDefault("SubscriptionArn")), unsigned).ConfigureAwait(false);
            return;
        }

        if (auth is null)
        {
            await WriteQueryErrorAsync(context, "sts", 403, "MissingAuthenticationToken", "Request is missing Authentication Token").ConfigureAwait(false);
            return;
        }

        bool s3 = auth.Service == "s3";
        string? secret;
        lock (State.Gate)
        {
            secret = State.AccessKeys.GetValueOrDefault(auth.AccessKeyId);
        }

        if (secret is null)
        {
            await ErrorAsync(context, auth.Service, 403, s3 ? "InvalidAccessKeyId" : "InvalidClientTokenId",
                "The AWS Access Key Id you provided does not exist in our records.").ConfigureAwait(false);
            return;
        }

        string actualHash = SigV4Verifier.Hex(SHA256.HashData(content));
        string? declaredHash = request.Headers["x-amz-content-sha256"];
        if (declaredHash is not null && declaredHash != "UNSIGNED-PAYLOAD" && declaredHash != actualHash)
        {
            await ErrorAsync(context, auth.Service, 400, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.").ConfigureAwait(false);
            return;
        }

        string amzDate = request.Headers["x-amz-date"].ToString();
        var headers = request.Headers.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v ?? string.Empty))).ToList();
        var signable = new SignableRequest(request.Method, rawPath, rawQuery, headers, declaredHash ?? actualHash);
        string expected = SigV4Verifier.ExpectedSignature(signable, auth, amzDate, secret, normalizePath: !s3);
        if (!SigV4Verifier.FixedTimeEquals(expected, auth.Signature))
        {
            await ErrorAsync(context, auth.Service, 403, "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.").ConfigureAwait(false);
            return;
        }

        if (s3)
        {
            await S3Async(context, auth.Region, rawPath, rawQuery, content).ConfigureAwait(false);
        }
        else if (auth.Service == "ecr")
        {
            await EcrAsync(context, auth.Region, content).ConfigureAwait(false);
        }
        else if (auth.Service == "eks")
        {
            await EksAsync(context, auth.Region, rawPath, rawQuery, content).ConfigureAwait(false);
        }
        else if (auth.Service == "ec2")
        {
            await Ec2Async(context, auth.Region, ParseForm(Encoding.UTF8.GetString(content))).ConfigureAwait(false);
        }
        else
        {
            var form = ParseForm(request.Method == "GET" ? rawQuery : Encoding.UTF8.GetString(content));
            await QueryAsync(context, auth.Service, auth.Region, form).ConfigureAwait(false);
        }
    }

    private bool TryFault(string action, out InjectedFault fault)
    {
        fault = null!;
        if (State.Faults.TryGetValue(action, out var queue))
        {
            lock (queue)
            {
                // A null entry lets one call through (FailNext's passFirst).
                if (queue.Count > 0 && queue.Dequeue() is { } next)
                {
                    fault = next;
                    return true;
                }
            }
        }

        return false;
    }

    // ---- S3: bucket location and notification configuration (path-style) ----

    private static readonly XNamespace S3Ns = "http://s3.amazonaws.com/doc/2006-03-01/";

    private async Task S3Async(HttpContext context, string region, string rawPath, string rawQuery, byte[] content)
    {
        string bucket = Uri.UnescapeDataString(rawPath.Trim('/'));
        var query = ParseForm(rawQuery);
        string method = context.Request.Method;
        string action = (method, query) switch
        {
            ("GET", _) when query.ContainsKey("location") => "GetBucketLocation",
            ("GET", _) when query.ContainsKey("notification") => "GetBucketNotificationConfiguration",
            ("PUT", _) when query.ContainsKey("notification") => "PutBucketNotificationConfiguration",
            ("HEAD", _) => "HeadBucket",
            _ => "Unsupported",
        };
        State.Calls.Enqueue(new AwsCall("s3", action, action.StartsWith("Put", StringComparison.Ordinal)));
        if (TryFault(action, out var fault))
        {
            await WriteS3ErrorAsync(context, fault.Status, fault.Code, fault.Message, bucket).ConfigureAwait(false);
            return;
        }

        if (action == "Unsupported" || bucket.Contains('/', StringComparison.Ordinal))
        {
            await WriteS3ErrorAsync(context, 501, "NotImplemented", $"The local endpoint does not implement {method} {rawPath}?{rawQuery}.", bucket).ConfigureAwait(false);
            return;
        }

        string? bucketRegion;
        lock (State.Gate)
        {
            bucketRegion = State.Buckets.GetValueOrDefault(bucket);
        }

        if (bucketRegion is null)
        {
            await WriteS3ErrorAsync(context, 404, "NoSuchBucket", "The specified bucket does not exist", bucket).ConfigureAwait(false);
            return;
        }

        if (action == "GetBucketLocation")
        {
            // us-east-1 is reported as an empty constraint, as S3 does.
            await WriteXmlAsync(context, 200, new XElement(S3Ns + "LocationConstraint", bucketRegion == "us-east-1" ? string.Empty : bucketRegion)).ConfigureAwait(false);
            return;
        }

        if (bucketRegion != region)
        {
            await WriteS3ErrorAsync(context, 301, "PermanentRedirect",
                $"The bucket you are attempting to access must be addressed using the specified endpoint. Region: {bucketRegion}", bucket).ConfigureAwait(false);
            return;
        }

        if (action == "HeadBucket")
        {
            context.Response.StatusCode = 200;
            return;
        }

        if (action == "GetBucketNotificationConfiguration")
        {
            XElement doc;
            lock (State.Gate)
            {
                doc = State.Notifications.TryGetValue(bucket, out var stored) ? new XElement(stored) : new XElement(S3Ns + "NotificationConfiguration");
            }

            await WriteXmlAsync(context, 200, doc).ConfigureAwait(false);
            return;
        }

        XElement config;
        try
        {
            config = XElement.Parse(Encoding.UTF8.GetString(content));
        }
        catch (System.Xml.XmlException ex)
        {
            await WriteS3ErrorAsync(context, 400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema: " + ex.Message, bucket).ConfigureAwait(false);
            return;
        }

        string? problem;
        lock (State.Gate)
        {
            problem = NotificationRules.Validate(config, State.Topics);
            if (problem is null)
            {
                State.Notifications[bucket] = config;
            }
        }

        if (problem is not null)
        {
            await WriteS3ErrorAsync(context, 400, "InvalidArgument", problem, bucket).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = 200;
    }

    // ---- Query protocol: SNS, IAM, STS ----

    private async Task QueryAsync(HttpContext context, string service, string region, Dictionary<string, string> form)
    {
        string action = form.GetValueOrDefault("Action") ?? string.Empty;
        bool mutating = AwsActions.IsMutating(action);
        State.Calls.Enqueue(new AwsCall(service, action, mutating));
        if (TryFault(action, out var fault))
        {
            await WriteQueryErrorAsync(context, service, fault.Status, fault.Code, fault.Message).ConfigureAwait(false);
            return;
        }

        var result = service switch
        {
            "sns" => Sns(action, region, form),
            "iam" => Iam(action, form),
            "elasticloadbalancing" => Elb(action, form),
            "sts" => Sts(action),
            _ => QueryResult.Error(400, "InvalidAction", $"Service {service} is not served here."),
        };
        if (result.ErrorCode is not null)
        {
            await WriteQueryErrorAsync(context, service, result.Status, result.ErrorCode, result.ErrorMessage!).ConfigureAwait(false);
            return;
        }

        XNamespace ns = Namespaces[service];
        var response = new XElement(ns + (action + "Response"));
        if (result.Body is not null)
        {
            response.Add(new XElement(ns + (action + "Result"), result.Body.Select(e => Requalify(e, ns))));
        }

        response.Add(new XElement(ns + "ResponseMetadata", new XElement(ns + "RequestId", Guid.NewGuid().ToString())));
        await WriteXmlAsync(context, 200, response).ConfigureAwait(false);
    }

    private static readonly Dictionary<string, XNamespace> Namespaces = new()
    {
        ["sns"] = "http://sns.amazonaws.com/doc/2010-03-31/",
        ["iam"] = "https://iam.amazonaws.com/doc/2010-05-08/",
        ["sts"] = "https://sts.amazonaws.com/doc/2011-06-15/",
        ["elasticloadbalancing"] = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/",
    };

    private QueryResult Sns(string action, string region, Dictionary<string, string> form)
    {
        string? arn = form.GetValueOrDefault("TopicArn");
        lock (State.Gate)
        {
            switch (action)
            {
                case "CreateTopic":
                    string name = form.GetValueOrDefault("Name") ?? string.Empty;
                    if (name.Length is 0 or > 256 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
                    {
                        return QueryResult.Error(400, "InvalidParameter", "Invalid parameter: Topic Name");
                    }

                    string created = $"arn:aws:sns:{region}:{AwsState.AccountId}:{name}";
                    State.Topics.TryAdd(created, new Dictionary<string, string>(StringComparer.Ordinal)
                    {
                        ["TopicArn"] = created,
                        ["Owner"] = AwsState.AccountId,
                        ["DisplayName"] = string.Empty,
                        ["Policy"] = DefaultTopicPolicy(created),
                    });
                    return QueryResult.Ok(new XElement("TopicArn", created));
                case "GetTopicAttributes":
                    if (arn is null || !State.Topics.TryGetValue(arn, out var attributes))
                    {
                        return QueryResult.Error(404, "NotFound", "Topic does not exist");
                    }

                    return QueryResult.Ok(new XElement("Attributes", attributes.Select(a =>
                        new XElement("entry", new XElement("key", a.Key), new XElement("value", a.Value)))));
                case "SetTopicAttributes":
                    if (arn is null || !State.Topics.TryGetValue(arn, out var target))
                    {
                        return QueryResult.Error(404, "NotFound", "Topic does not exist");
                    }

                    string attribute = form.GetValueOrDefault("AttributeName") ?? string.Empty;
                    string value = form.GetValueOrDefault("AttributeValue") ?? string.Empty;
                    if (attribute == "Policy" && !IsJsonObject(value))
                    {
                        return QueryResult.Error(400, "InvalidParameter", "Invalid parameter: Policy Error: null");
                    }

                    target[attribute] = value;
                    return QueryResult.Ok();
                case "ListTopics":
                    return QueryResult.Ok(new XElement("Topics", State.Topics.Keys.Order(StringComparer.Ordinal).Select(t =>
                        new XElement("member", new XElement("TopicArn", t)))));
                case "DeleteTopic":
                    // Deleting a topic that does not exist succeeds, as in SNS; its subscriptions go with it.
                    if (arn is not null)
                    {
                        State.Topics.Remove(arn);
                        foreach (string gone in State.Subscriptions.Where(p => p.Value.TopicArn == arn).Select(p => p.Key).ToList())
                        {
                            State.Subscriptions.Remove(gone);
                        }
                    }

                    return QueryResult.Ok();
                case "Subscribe" or "ConfirmSubscription" or "Unsubscribe" or "ListSubscriptionsByTopic" or "Publish":
                    return SnsDeliveryAction(action, region, arn, form);
                default:
                    return QueryResult.Error(400, "InvalidAction", $"The action {action} is not valid for this endpoint.");
            }
        }
    }

    // Subscriptions and delivery (called under State.Gate).
    private QueryResult SnsDeliveryAction(string action, string region, string? arn, Dictionary<string, string> form)
    {
        if (action == "Unsubscribe")
        {
            string subscriptionArn = form.GetValueOrDefault("SubscriptionArn") ?? string.Empty;
            return State.Subscriptions.Remove(subscriptionArn) ? QueryResult.Ok() : QueryResult.Error(404, "NotFound", "Subscription does not exist");
        }

        if (arn is null || !State.Topics.TryGetValue(arn, out var topic))
        {
            return QueryResult.Error(404, "NotFound", "Topic does not exist");
        }

        switch (action)
        {
            case "Subscribe":
                string protocol = form.GetValueOrDefault("Protocol") ?? string.Empty;
                string endpoint = form.GetValueOrDefault("Endpoint") ?? string.Empty;
                if (protocol is not ("http" or "https") || !Uri.TryCreate(endpoint, UriKind.Absolute, out var target) || target.Scheme != protocol)
                {
                    return QueryResult.Error(400, "InvalidParameter", protocol is "http" or "https"
                        ? "Invalid parameter: Endpoint must match the specified protocol"
                        : $"Invalid parameter: Protocol {protocol} is not served by the local endpoint (http and https are)");
                }

                // Subscribing the same endpoint again gives the same subscription, as SNS does.
                var existing = State.Subscriptions.Values.FirstOrDefault(s => s.TopicArn == arn && s.Protocol == protocol && s.Endpoint == endpoint);
                var subscription = existing ?? new SnsSubscription($"{arn}:{Guid.NewGuid()}", arn, protocol, endpoint, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(64)));
                State.Subscriptions[subscription.Arn] = subscription;
                if (!subscription.Confirmed)
                {
                    State.Sns.Send(subscription, State.Sns.Confirmation(subscription, Endpoint, region));
                }

                bool returnArn = form.GetValueOrDefault("ReturnSubscriptionArn") == "true";
                return QueryResult.Ok(new XElement("SubscriptionArn", subscription.Confirmed || returnArn ? subscription.Arn : "pending confirmation"));
            case "ConfirmSubscription":
                string token = form.GetValueOrDefault("Token") ?? string.Empty;
                var pending = State.Subscriptions.Values.FirstOrDefault(s => s.TopicArn == arn && s.Token == token);
                if (pending is null)
                {
                    return QueryResult.Error(400, "InvalidParameter", "Invalid token");
                }

                pending.Confirmed = true;
                return QueryResult.Ok(new XElement("SubscriptionArn", pending.Arn));
            case "ListSubscriptionsByTopic":
                return QueryResult.Ok(new XElement("Subscriptions", State.Subscriptions.Values.Where(s => s.TopicArn == arn).Select(s => new XElement("member",
                    new XElement("TopicArn", arn), new XElement("Protocol", s.Protocol), new XElement("SubscriptionArn", s.Confirmed ? s.Arn : "PendingConfirmation"),
                    new XElement("Owner", AwsState.AccountId), new XElement("Endpoint", s.Endpoint)))));
            default:
                string body = form.GetValueOrDefault("Message") ?? string.Empty;
                if (body.Length == 0)
                {
                    return QueryResult.Error(400, "InvalidParameter", "Invalid parameter: Empty message");
                }

                return QueryResult.Ok(new XElement("MessageId", Publish(arn, topic, body, form.GetValueOrDefault("Subject"), region)));
        }
    }

    // Sends a message to every confirmed subscription of the topic (called under State.Gate); returns the message id.
    private string Publish(string topicArn, Dictionary<string, string> topic, string body, string? subject, string region)
    {
        string version = topic.GetValueOrDefault("SignatureVersion") is "2" ? "2" : "1";
        string id = Guid.NewGuid().ToString();
        foreach (var subscription in State.Subscriptions.Values.Where(s => s.TopicArn == topicArn && s.Confirmed))
        {
            State.Sns.Send(subscription, State.Sns.Notification(subscription, body, subject, version, Endpoint, region));
        }

        return id;
    }

    /// <summary>
    /// What S3 does after an object event: for each TopicConfiguration of the bucket whose events and key filters match,
    /// the topic (whose policy must let s3.amazonaws.com publish for this bucket) gets <c>{"Records":[record]}</c> with
    /// the entry's id as configurationId, the bucket's region, its ARN, and the key URL-encoded as S3 writes it. The
    /// records come from s3rver (which keeps no notification configuration of its own), forwarded by tests/s3rver/notify.js.
    /// </summary>
    public int ApplyBucketNotifications(JsonObject s3Event)
    {
        ArgumentNullException.ThrowIfNull(s3Event);
        int published = 0;
        foreach (var record in (s3Event["Records"] as JsonArray ?? []).OfType<JsonObject>())
        {
            string bucket = record["s3"]?["bucket"]?["name"]?.GetValue<string>() ?? string.Empty;
            string key = record["s3"]?["object"]?["key"]?.GetValue<string>() ?? string.Empty;
            string eventName = "s3:" + (record["eventName"]?.GetValue<string>() ?? string.Empty);
            lock (State.Gate)
            {
                if (!State.Buckets.TryGetValue(bucket, out var region) || !State.Notifications.TryGetValue(bucket, out var config))
                {
                    continue;
                }

                foreach (var entry in config.Elements().Where(e => e.Name.LocalName == "TopicConfiguration"))
                {
                    string id = entry.Elements().FirstOrDefault(e => e.Name.LocalName == "Id")?.Value ?? string.Empty;
                    string topicArn = entry.Elements().FirstOrDefault(e => e.Name.LocalName == "Topic")?.Value ?? string.Empty;
                    var events = entry.Elements().Where(e => e.Name.LocalName == "Event").Select(e => e.Value);
                    var rules = entry.Descendants().Where(e => e.Name.LocalName == "FilterRule").ToDictionary(
                        r => r.Elements().First(e => e.Name.LocalName == "Name").Value.ToLowerInvariant(), r => r.Elements().First(e => e.Name.LocalName == "Value").Value);
                    bool matches = events.Any(e => e == eventName || (e.EndsWith(":*", StringComparison.Ordinal) && eventName.StartsWith(e[..^1], StringComparison.Ordinal)))
                        && key.StartsWith(rules.GetValueOrDefault("prefix") ?? string.Empty, StringComparison.Ordinal)
                        && key.EndsWith(rules.GetValueOrDefault("suffix") ?? string.Empty, StringComparison.Ordinal);
                    if (!matches || !State.Topics.TryGetValue(topicArn, out var topic)
                        || !(topic.GetValueOrDefault("Policy") ?? string.Empty).Contains($"arn:aws:s3:::{bucket}", StringComparison.Ordinal))
                    {
                        continue;
                    }

                    var shaped = (JsonObject)record.DeepClone();
                    shaped["awsRegion"] = region;
                    shaped["s3"]!["configurationId"] = id;
                    shaped["s3"]!["bucket"]!["arn"] = $"arn:aws:s3:::{bucket}";
                    shaped["s3"]!["object"]!["key"] = System.Net.WebUtility.UrlEncode(key).Replace("%2F", "/", StringComparison.Ordinal);
                    Publish(topicArn, topic, new JsonObject { ["Records"] = new JsonArray(shaped) }.ToJsonString(), "Amazon S3 Notification", RegionOf(topicArn));
                    published++;
                }
            }
        }

        return published;
    }

    private static string RegionOf(string? arn) => arn?.Split(':') is { Length: > 3 } parts && parts[3].Length > 0 ? parts[3] : "us-east-1";

    private static QueryResult Sts(string action) => action == "GetCallerIdentity"
        ? QueryResult.Ok(new XElement("Arn", $"arn:aws:iam::{AwsState.AccountId}:user/argoetl-test"), new XElement("UserId", "AIDAARGOETLTEST"), new XElement("Account", AwsState.AccountId))
        : QueryResult.Error(400, "InvalidAction", $"The action {action} is not valid for this endpoint.");

    private static string DefaultTopicPolicy(string arn) => JsonSerializer.Serialize(new
    {
        Version = "2008-10-17",
        Id = "__default_policy_ID",
        Statement = new[] { new { Sid = "__default_statement_ID", Effect = "Allow", Principal = new { AWS = "*" }, Action = "SNS:Publish", Resource = arn, Condition = new { StringEquals = new Dictionary<string, string> { ["AWS:SourceOwner"] = AwsState.AccountId } } } },
    });

    // ---- ECR (JSON protocol) ----

    private async Task EcrAsync(HttpContext context, string region, byte[] content)
    {
        string target = context.Request.Headers["X-Amz-Target"].ToString();
        string action = target[(target.LastIndexOf('.') + 1)..];
        State.Calls.Enqueue(new AwsCall("ecr", action, action == "CreateRepository"));
        var request = JsonNode.Parse(content.Length == 0 ? "{}" : Encoding.UTF8.GetString(content)) as JsonObject ?? [];
        if (TryFault(action, out var fault))
        {
            await JsonErrorAsync(context, fault.Status, fault.Code, fault.Message).ConfigureAwait(false);
            return;
        }

        string registryHost = $"{AwsState.AccountId}.dkr.ecr.{region}.amazonaws.com";
        JsonObject Repository(string name, bool scan, string mutability) => new()
        {
            ["repositoryName"] = name,
            ["repositoryArn"] = $"arn:aws:ecr:{region}:{AwsState.AccountId}:repository/{name}",
            ["registryId"] = AwsState.AccountId,
            ["repositoryUri"] = $"{registryHost}/{name}",
            ["imageTagMutability"] = mutability,
            ["imageScanningConfiguration"] = new JsonObject { ["scanOnPush"] = scan },
        };

        JsonObject answer;
        lock (State.Gate)
        {
            switch (action)
            {
                case "GetAuthorizationToken" when State.EcrRegistry is { } login:
                    answer = new JsonObject
                    {
                        ["authorizationData"] = new JsonArray(new JsonObject
                        {
                            ["authorizationToken"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{login.User}:{login.Password}")),
                            ["expiresAt"] = DateTimeOffset.UtcNow.AddHours(12).ToUnixTimeSeconds(),
                            ["proxyEndpoint"] = login.Registry.ToString().TrimEnd('/'),
                        }),
                    };
                    break;
                case "DescribeRepositories":
                    var names = (request["repositoryNames"] as JsonArray ?? []).Select(n => n!.GetValue<string>()).ToList();
                    string? missing = names.FirstOrDefault(n => !State.EcrRepositories.ContainsKey(n));
                    answer = missing is null
                        ? new JsonObject { ["repositories"] = new JsonArray([.. State.EcrRepositories.Where(r => names.Count == 0 || names.Contains(r.Key)).Select(r => (JsonNode)Repository(r.Key, r.Value.ScanOnPush, r.Value.Mutability))]) }
                        : new JsonObject { ["__error"] = $"The repository with name '{missing}' does not exist in the registry with id '{AwsState.AccountId}'", ["__type"] = "RepositoryNotFoundException" };

                    break;
                case "CreateRepository":
                    string name = request["repositoryName"]?.GetValue<string>() ?? string.Empty;
                    if (State.EcrRepositories.ContainsKey(name))
                    {
                        answer = new JsonObject { ["__error"] = $"The repository with name '{name}' already exists in the registry with id '{AwsState.AccountId}'", ["__type"] = "RepositoryAlreadyExistsException" };
                        break;
                    }

                    bool scan = request["imageScanningConfiguration"]?["scanOnPush"]?.GetValue<bool>() ?? false;
                    string mutability = request["imageTagMutability"]?.GetValue<string>() ?? "MUTABLE";
                    State.EcrRepositories[name] = (scan, mutability);
                    answer = new JsonObject { ["repository"] = Repository(name, scan, mutability) };
                    break;
                default:
                    answer = new JsonObject { ["__error"] = $"Unsupported operation {target}", ["__type"] = "UnsupportedOperation" };
                    break;
            }
        }

        if (answer["__type"]?.GetValue<string>() is { } errorType)
        {
            await JsonErrorAsync(context, 400, errorType, answer["__error"]!.GetValue<string>()).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "application/x-amz-json-1.1";
        await context.Response.WriteAsync(answer.ToJsonString()).ConfigureAwait(false);
    }

    private static Task JsonErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/x-amz-json-1.1";
        return context.Response.WriteAsync(new JsonObject { ["__type"] = code, ["message"] = message }.ToJsonString());
    }

    // ---- Test controls (not AWS): seed buckets, roles and foreign notification settings; read the call log ----

    private async Task ControlAsync(HttpContext context, string rawPath, byte[] content)
    {
        var parts = rawPath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var query = ParseForm(context.Request.QueryString.Value?.TrimStart('?') ?? string.Empty);
        switch (parts)
        {
            case ["_argoetl", "buckets", var name]:
                State.AddBucket(name, query.GetValueOrDefault("region") ?? "us-east-1");
                break;
            case ["_argoetl", "roles", var name]:
                State.AddRole(name);
                break;
            case ["_argoetl", "eks", "clusters", var name]:
                // The issuer is the answer, so a test knows what the OIDC provider's URL will be.
                await context.Response.WriteAsync(State.AddCluster(name, query.GetValueOrDefault("region") ?? "us-east-1")).ConfigureAwait(false);
                return;
            case ["_argoetl", "tagged", var kind, var id]:
                // A leftover of a controller (kind loadbalancer, targetgroup, securitygroup, networkinterface) with one tag.
                State.AddTagged(kind, Uri.UnescapeDataString(id), query.GetValueOrDefault("name") ?? id, new Dictionary<string, string> { [query["tagKey"]] = query.GetValueOrDefault("tagValue") ?? string.Empty },
                    query.GetValueOrDefault("status") ?? "available");
                break;
            case ["_argoetl", "notification", var bucket] when context.Request.Method == "PUT":
                State.SetNotification(bucket, Encoding.UTF8.GetString(content));
                break;
            case ["_argoetl", "notification", var bucket]:
                await context.Response.WriteAsync(State.GetNotificationXml(bucket) ?? string.Empty).ConfigureAwait(false);
                return;
            case ["_argoetl", "fail", var action]:
                State.FailNext(action, int.Parse(query.GetValueOrDefault("status") ?? "500", CultureInfo.InvariantCulture),
                    query.GetValueOrDefault("code") ?? "InternalFailure", "Injected fault", int.Parse(query.GetValueOrDefault("times") ?? "1", CultureInfo.InvariantCulture));
                break;
            case ["_argoetl", "s3", "events"]:
                int published = ApplyBucketNotifications(JsonNode.Parse(content) as JsonObject ?? []);
                await context.Response.WriteAsJsonAsync(new { published }).ConfigureAwait(false);
                return;
            case ["_argoetl", "sns", "cert.pem"]:
                await context.Response.WriteAsync(State.Sns.CertificatePem).ConfigureAwait(false);
                return;
            case ["_argoetl", "keys", var keyId]:
                State.AddAccessKey(keyId, query["secret"]);
                break;
            case ["_argoetl", "ecr"]:
                State.ConfigureEcr(new Uri(query["registry"]), query["user"], query["password"]);
                break;
            case ["_argoetl", "state"]:
                await context.Response.WriteAsJsonAsync(Snapshot()).ConfigureAwait(false);
                return;
            default:
                context.Response.StatusCode = 404;
                return;
        }

        context.Response.StatusCode = 204;
    }

    /// <summary>Everything the endpoint holds, for tests that run it as a process.</summary>
    public object Snapshot()
    {
        lock (State.Gate)
        {
            return new
            {
                topics = State.Topics.ToDictionary(t => t.Key, t => t.Value.GetValueOrDefault("Policy")),
                notifications = State.Notifications.ToDictionary(n => n.Key, n => n.Value.ToString(SaveOptions.DisableFormatting)),
                roles = State.Roles.ToDictionary(r => r.Key, r => r.Value.Inline.Keys.Order(StringComparer.Ordinal).ToArray()),
                attachedPolicies = State.Roles.ToDictionary(r => r.Key, r => r.Value.Attached.ToArray()),
                policies = State.Policies.Keys.Order(StringComparer.Ordinal).ToArray(),
                oidcProviders = State.OidcProviders.Keys.Order(StringComparer.Ordinal).ToArray(),
                podIdentityAssociations = State.Clusters.Values.SelectMany(c => c.Associations.Select(a => $"{c.Name}/{a.Namespace}/{a.ServiceAccount}")).ToArray(),
                calls = State.Calls.Select(c => new { c.Service, c.Action, c.Mutating }).ToArray(),
                subscriptions = State.Subscriptions.Values.Select(s => new { s.Arn, s.TopicArn, s.Endpoint, s.Confirmed }).ToArray(),
                deliveries = State.Sns.Attempts.Select(a => new { a.Endpoint, a.Type, a.Status }).ToArray(),
            };
        }
    }

    // ---- helpers ----

    private static bool IsJsonObject(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static Dictionary<string, string> ParseForm(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in text.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            string key = Uri.UnescapeDataString((eq < 0 ? pair : pair[..eq]).Replace('+', ' '));
            string value = eq < 0 ? string.Empty : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
            result[key] = value;
        }

        return result;
    }

    private static XElement Requalify(XElement element, XNamespace ns) =>
        new(ns + element.Name.LocalName, element.Attributes(), element.Nodes().Select(n => n is XElement child ? Requalify(child, ns) : n));

    private static Task ErrorAsync(HttpContext context, string service, int status, string code, string message) => service switch
    {
        "s3" => WriteS3ErrorAsync(context, status, code, message, null),
        "ecr" => JsonErrorAsync(context, status, code, message),
        "eks" => RestJsonErrorAsync(context, status, code, message),
        "ec2" => Ec2ErrorAsync(context, status, code, message),
        _ => WriteQueryErrorAsync(context, service, status, code, message),
    };

    private static Task WriteS3ErrorAsync(HttpContext context, int status, string code, string message, string? bucket) =>
        WriteXmlAsync(context, status, new XElement("Error",
            new XElement("Code", code), new XElement("Message", message),
            bucket is null ? null : new XElement("BucketName", bucket),
            new XElement("RequestId", Guid.NewGuid().ToString("N")[..16].ToUpperInvariant())));

    private static Task WriteQueryErrorAsync(HttpContext context, string service, int status, string code, string message)
    {
        XNamespace ns = Namespaces.GetValueOrDefault(service) ?? Namespaces["sts"];
        return WriteXmlAsync(context, status, new XElement(ns + "ErrorResponse",
            new XElement(ns + "Error", new XElement(ns + "Type", status >= 500 ? "Receiver" : "Sender"), new XElement(ns + "Code", code), new XElement(ns + "Message", message)),
            new XElement(ns + "RequestId", Guid.NewGuid().ToString())));
    }

    private static async Task WriteXmlAsync(HttpContext context, int status, XElement element)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/xml";
        if (context.Request.Method != "HEAD")
        {
            await context.Response.WriteAsync("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + element.ToString(SaveOptions.DisableFormatting)).ConfigureAwait(false);
        }
    }

    private sealed record QueryResult(int Status, IReadOnlyList<XElement>? Body, string? ErrorCode, string? ErrorMessage)
    {
        public static QueryResult Ok(params XElement[] body) => new(200, body.Length == 0 ? null : body, null, null);

        public static QueryResult Error(int status, string code, string message) => new(status, null, code, message);
    }
}
