namespace ArgoEtl.Core.Aws;

/// <summary>The SNS calls ArgoEtl makes (topics and their attributes), over the Query protocol.</summary>
public sealed class SnsClient(AwsQueryClient query)
{
    public async Task<string> CreateTopicAsync(string name, CancellationToken cancellationToken)
    {
        var result = await query.CallAsync("CreateTopic", [new("Name", name)], cancellationToken).ConfigureAwait(false);
        return AwsQueryClient.Text(result, "TopicArn") ?? throw new AwsServiceException("sns", "CreateTopic", System.Net.HttpStatusCode.OK, "MalformedResponse", "no TopicArn in the response");
    }

    /// <summary>The topic's attributes, or null when the topic does not exist.</summary>
    public async Task<IReadOnlyDictionary<string, string>?> GetTopicAttributesAsync(string topicArn, CancellationToken cancellationToken)
    {
        try
        {
            var result = await query.CallAsync("GetTopicAttributes", [new("TopicArn", topicArn)], cancellationToken).ConfigureAwait(false);
            return AwsQueryClient.Members(result, "Attributes").ToDictionary(e => AwsQueryClient.Text(e, "key") ?? string.Empty, e => AwsQueryClient.Text(e, "value") ?? string.Empty, StringComparer.Ordinal);
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }

    public Task SetTopicAttributeAsync(string topicArn, string name, string value, CancellationToken cancellationToken) =>
        query.CallAsync("SetTopicAttributes", [new("TopicArn", topicArn), new("AttributeName", name), new("AttributeValue", value)], cancellationToken);

    /// <summary>Deletes the topic; a topic that is already gone is not an error (as in SNS itself).</summary>
    public async Task DeleteTopicAsync(string topicArn, CancellationToken cancellationToken)
    {
        try
        {
            await query.CallAsync("DeleteTopic", [new("TopicArn", topicArn)], cancellationToken).ConfigureAwait(false);
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
            // Already gone.
        }
    }

    /// <summary>Subscribes an http(s) endpoint; SNS answers "pending confirmation" until the endpoint confirms the token it is sent.</summary>
    public async Task<string> SubscribeAsync(string topicArn, string protocol, string endpoint, CancellationToken cancellationToken)
    {
        var result = await query.CallAsync("Subscribe", [new("TopicArn", topicArn), new("Protocol", protocol), new("Endpoint", endpoint)], cancellationToken).ConfigureAwait(false);
        return AwsQueryClient.Text(result, "SubscriptionArn") ?? string.Empty;
    }

    /// <summary>Confirms a subscription with the Token of its SubscriptionConfirmation (what the argo-events sns source does); returns the subscription's ARN.</summary>
    public async Task<string> ConfirmSubscriptionAsync(string topicArn, string token, CancellationToken cancellationToken)
    {
        var result = await query.CallAsync("ConfirmSubscription", [new("TopicArn", topicArn), new("Token", token)], cancellationToken).ConfigureAwait(false);
        return AwsQueryClient.Text(result, "SubscriptionArn") ?? string.Empty;
    }

    /// <summary>Ends a subscription; one that is already gone is not an error.</summary>
    public async Task UnsubscribeAsync(string subscriptionArn, CancellationToken cancellationToken)
    {
        try
        {
            await query.CallAsync("Unsubscribe", [new("SubscriptionArn", subscriptionArn)], cancellationToken).ConfigureAwait(false);
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
            // Already gone (its topic was deleted, or someone unsubscribed it).
        }
    }

    public async Task<IReadOnlyList<string>> ListTopicsAsync(CancellationToken cancellationToken)
    {
        var topics = new List<string>();
        string? next = null;
        do
        {
            var parameters = next is null ? [] : new List<KeyValuePair<string, string>> { new("NextToken", next) };
            var result = await query.CallAsync("ListTopics", parameters, cancellationToken).ConfigureAwait(false);
            topics.AddRange(AwsQueryClient.Members(result, "Topics").Select(m => AwsQueryClient.Text(m, "TopicArn") ?? string.Empty));
            next = AwsQueryClient.Text(result, "NextToken");
        }
        while (!string.IsNullOrEmpty(next));

        return topics;
    }
}
