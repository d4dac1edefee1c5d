using Amazon.Runtime;
using Amazon.S3.Model;
using ArgoEtl.Core.Aws;
using ArgoEtl.Core.Changes;

namespace ArgoEtl.Core.Notifications;

/// <summary>
/// Creates, reads and removes a project's S3 → SNS notification. Every operation reads first and plans; the plan's
/// changes go through an <see cref="IChangeGate"/> (-WhatIf/-Confirm) and are applied only if all are approved.
/// A create that fails part-way undoes what it did, newest first, so a failed call leaves AWS as it found it.
/// </summary>
public sealed class S3NotificationService(AwsSession aws)
{
    /// <summary>A create or remove worked out against what exists: the result it leads to and the calls it needs.</summary>
    public sealed class Plan
    {
        internal Plan(EtlS3Notification result, IReadOnlyList<Step> steps)
        {
            Result = result;
            Steps = steps;
        }

        public EtlS3Notification Result { get; }

        public IReadOnlyList<PlannedChange> Changes => [.. Steps.Select(s => s.Change)];

        internal IReadOnlyList<Step> Steps { get; }
    }

    /// <summary>One AWS call and the call that takes it back (null when there is nothing to take back).</summary>
    internal sealed record Step(PlannedChange Change, Func<CancellationToken, Task> Do, Func<CancellationToken, Task>? Undo);

    public async Task<Plan> PlanCreateAsync(S3NotificationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        NotificationNames.ValidateProject(request.Project);
        NotificationNames.ValidateBucket(request.Bucket);
        NotificationNames.ValidateKeyFilter("Prefix", request.Prefix);
        NotificationNames.ValidateKeyFilter("Suffix", request.Suffix);
        if (request.OutputPrefix is not null)
        {
            NotificationNames.ValidateKeyFilter("OutputPrefix", request.OutputPrefix);
        }

        if (request.Events.Count == 0 || request.Events.Any(e => !e.StartsWith("s3:", StringComparison.Ordinal)))
        {
            throw new EtlException(EtlErrors.InvalidEventType, $"Event types must be S3 event names such as s3:ObjectCreated:*; got '{string.Join(", ", request.Events)}'.",
                "Use names from the S3 documentation (s3:ObjectCreated:*, s3:ObjectCreated:Put, s3:ObjectRemoved:*, ...).", request.Events);
        }

        // Pre-flight: only reads. Anything wrong here fails before a single resource is created.
        var identity = await aws.GetCallerIdentityAsync(cancellationToken).ConfigureAwait(false);
        await CheckBucketRegionAsync(request.Bucket, cancellationToken).ConfigureAwait(false);
        var settings = await ReadSettingsAsync(request.Bucket, identity.Account, cancellationToken).ConfigureAwait(false)
            ?? throw new EtlException(EtlErrors.S3NotificationIncomplete, $"Bucket '{request.Bucket}' was found, and then its notification settings could not be read.", target: request.Bucket);
        string id = NotificationNames.ConfigurationId(request.Project);
        var conflicts = settings.Conflicts(id, request.Events, request.Prefix, request.Suffix);
        if (conflicts.Count > 0)
        {
            throw new EtlException(EtlErrors.S3NotificationConflict, $"Bucket '{request.Bucket}' already sends overlapping events elsewhere: {string.Join(", ", conflicts.Select(c => $"{c.Kind} '{c.Id}' ({string.Join(",", c.Events)} prefix '{c.Prefix}' suffix '{c.Suffix}')"))}. S3 rejects two configurations that share an event type for overlapping keys.",
                "Use a prefix or suffix that does not overlap, or remove the other configuration if it is no longer used. Nothing was changed.", request.Bucket);
        }

        string topicName = NotificationNames.TopicName(request.Project);
        string topicArn = $"arn:{aws.Partition}:sns:{aws.Region}:{identity.Account}:{topicName}";
        string bucketArn = $"arn:{aws.Partition}:s3:::{request.Bucket}";
        var topic = await Guard($"Reading SNS topic {topicArn}", topicArn, ct => aws.Sns.GetTopicAttributesAsync(topicArn, ct), cancellationToken).ConfigureAwait(false);
        string? oldPolicy = topic?.GetValueOrDefault("Policy");

        var policies = new List<(string Name, string Document, string? Old)>();
        if (request.RoleName is { } role)
        {
            await Guard($"Reading IAM role {role}", role, ct => aws.Iam.ListRolePoliciesAsync(role, ct), cancellationToken, notFound: () => new EtlException(EtlErrors.IamRoleNotFound, $"IAM role '{role}' does not exist.",
                "Pass the role the SNS event source runs as: the EKS node group's role (-NodeRoleName) or its IRSA role (-RoleName).", role)).ConfigureAwait(false);
            foreach (var (name, document) in new[]
            {
                (NotificationNames.SubscribePolicyName(request.Project), NotificationPolicies.SubscribePolicy(topicArn)),
                (NotificationNames.BucketPolicyName(request.Project), NotificationPolicies.BucketPolicy(aws.Partition, request.Bucket, request.Prefix, request.ResolvedOutputPrefix)),
            })
            {
                string? old = await Guard($"Reading IAM policy {name} of role {role}", role, ct => aws.Iam.GetRolePolicyAsync(role, name, ct), cancellationToken).ConfigureAwait(false);
                policies.Add((name, document, old));
            }
        }

        // The plan: each call only if something differs, so a second run changes nothing.
        var steps = new List<Step>();
        if (topic is null)
        {
            steps.Add(new Step(new PlannedChange(topicArn, "SNS CreateTopic"),
                ct => Guard($"Creating SNS topic {topicName}", topicArn, c => aws.Sns.CreateTopicAsync(topicName, c), ct),
                ct => aws.Sns.DeleteTopicAsync(topicArn, ct)));
        }

        string newPolicy = NotificationPolicies.TopicPolicy(oldPolicy, topicArn, bucketArn, identity.Account, request.Bucket);
        if (!NotificationPolicies.SameJson(newPolicy, oldPolicy))
        {
            steps.Add(new Step(new PlannedChange(topicArn, $"SNS SetTopicAttributes Policy (allow s3.amazonaws.com to publish for {bucketArn} in account {identity.Account})"),
                ct => Guard($"Setting the policy of SNS topic {topicName}", topicArn, c => aws.Sns.SetTopicAttributeAsync(topicArn, "Policy", newPolicy, c), ct),
                oldPolicy is null ? null : ct => aws.Sns.SetTopicAttributeAsync(topicArn, "Policy", oldPolicy, ct)));
        }

        var entry = BucketNotificationSettings.NewTopicEntry(id, topicArn, request.Events, request.Prefix, request.Suffix);
        var existing = settings.Find(id);
        if (existing is null || !BucketNotificationSettings.SameEntry(existing, entry))
        {
            var merged = settings.With(entry);
            steps.Add(new Step(new PlannedChange($"s3://{request.Bucket}", $"S3 PutBucketNotificationConfiguration (add '{id}': {string.Join(",", request.Events)} on '{request.Prefix}*{request.Suffix}' -> {topicName}; {settings.Entries.Count(e => e.Id != id)} other entries kept)"),
                ct => Guard($"Updating the notification configuration of bucket {request.Bucket}", request.Bucket, c => aws.S3.PutBucketNotificationAsync(merged.ToPutRequest(request.Bucket, identity.Account), c), ct),
                ct => RestoreSettingsAsync(request.Bucket, identity.Account, id, existing, ct)));
        }

        foreach (var (name, document, old) in policies)
        {
            if (!NotificationPolicies.SameJson(document, old))
            {
                string roleName = request.RoleName!;
                steps.Add(new Step(new PlannedChange($"iam role {roleName}", $"IAM PutRolePolicy {name}"),
                    ct => Guard($"Putting IAM policy {name} on role {roleName}", roleName, c => aws.Iam.PutRolePolicyAsync(roleName, name, document, c), ct),
                    old is null ? ct => aws.Iam.DeleteRolePolicyAsync(roleName, name, ct) : ct => aws.Iam.PutRolePolicyAsync(roleName, name, old, ct)));
            }
        }

        var result = new EtlS3Notification
        {
            Project = request.Project,
            Bucket = request.Bucket,
            Prefix = request.Prefix,
            Suffix = request.Suffix,
            Events = request.Events,
            Region = aws.Region,
            AccountId = identity.Account,
            TopicArn = topicArn,
            ConfigurationId = id,
            RoleName = request.RoleName,
            PolicyNames = [.. policies.Select(p => p.Name)],
            Change = steps.Count == 0 ? "Unchanged" : topic is null || existing is null ? "Created" : "Updated",
        };
        return new Plan(result, steps);
    }

    public async Task<Plan> PlanRemoveAsync(string project, string bucket, string? roleName, string? topicArn, CancellationToken cancellationToken)
    {
        NotificationNames.ValidateProject(project);
        NotificationNames.ValidateBucket(bucket);
        var identity = await aws.GetCallerIdentityAsync(cancellationToken).ConfigureAwait(false);
        string id = NotificationNames.ConfigurationId(project);
        topicArn ??= $"arn:{aws.Partition}:sns:{aws.Region}:{identity.Account}:{NotificationNames.TopicName(project)}";
        var steps = new List<Step>();

        // A bucket that is gone has no entry left to remove; the topic and policies may still be there.
        var settings = await ReadSettingsAsync(bucket, identity.Account, cancellationToken, missingBucketIsEmpty: true).ConfigureAwait(false);
        if (settings?.Find(id) is { } entry)
        {
            var others = settings.Without(id);
            steps.Add(new Step(new PlannedChange($"s3://{bucket}", $"S3 PutBucketNotificationConfiguration (remove '{id}' only; {others.Entries.Count()} other entries kept)"),
                ct => Guard($"Updating the notification configuration of bucket {bucket}", bucket, c => aws.S3.PutBucketNotificationAsync(others.ToPutRequest(bucket, identity.Account), c), ct),
                null));
        }

        if (await Guard($"Reading SNS topic {topicArn}", topicArn, ct => aws.Sns.GetTopicAttributesAsync(topicArn, ct), cancellationToken).ConfigureAwait(false) is not null)
        {
            steps.Add(new Step(new PlannedChange(topicArn, "SNS DeleteTopic"), ct => Guard($"Deleting SNS topic {topicArn}", topicArn, c => aws.Sns.DeleteTopicAsync(topicArn, c), ct), null));
        }

        var policyNames = new List<string>();
        if (roleName is not null)
        {
            foreach (string name in new[] { NotificationNames.SubscribePolicyName(project), NotificationNames.BucketPolicyName(project) })
            {
                if (await Guard($"Reading IAM policy {name} of role {roleName}", roleName, ct => aws.Iam.GetRolePolicyAsync(roleName, name, ct), cancellationToken,
                    notFound: () => null).ConfigureAwait(false) is not null)
                {
                    policyNames.Add(name);
                    steps.Add(new Step(new PlannedChange($"iam role {roleName}", $"IAM DeleteRolePolicy {name}"),
                        ct => Guard($"Deleting IAM policy {name} of role {roleName}", roleName, c => aws.Iam.DeleteRolePolicyAsync(roleName, name, c), ct), null));
                }
            }
        }

        if (settings is null && steps.Count == 0)
        {
            throw BucketNotFound(bucket);
        }

        var result = new EtlS3Notification
        {
            Project = project,
            Bucket = bucket,
            Drift = settings is null ? ["BucketMissing"] : [],
            Region = aws.Region,
            AccountId = identity.Account,
            TopicArn = topicArn,
            ConfigurationId = id,
            RoleName = roleName,
            PolicyNames = policyNames,
            Change = steps.Count == 0 ? "Unchanged" : "Removed",
        };
        return new Plan(result, steps);
    }

    /// <summary>
    /// Runs every step of an approved plan in order. If one fails, the steps already done are undone newest first;
    /// the original error is thrown, and anything that could not be undone is named in it.
    /// </summary>
    public static async Task<EtlS3Notification> ApplyAsync(Plan plan, IProgress<PlannedChange>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var done = new Stack<Step>();
        try
        {
            foreach (var step in plan.Steps)
            {
                progress?.Report(step.Change);
                await step.Do(cancellationToken).ConfigureAwait(false);
                done.Push(step);
            }

            return plan.Result;
        }
        catch (Exception failure) when (failure is EtlException or OperationCanceledException)
        {
            var leftBehind = new List<string>();
            while (done.TryPop(out var step))
            {
                if (step.Undo is null)
                {
                    continue;
                }

                try
                {
                    // Undo even when the user canceled: a half-made notification is worse than a slower stop.
                    await step.Undo(CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception undoFailure) when (undoFailure is EtlException or AwsServiceException or AmazonServiceException or HttpRequestException)
                {
                    leftBehind.Add($"{step.Change.Action} on {step.Change.Target} ({undoFailure.Message})");
                }
            }

            if (leftBehind.Count > 0 && failure is EtlException etl)
            {
                throw new EtlException(etl.Code, etl.Kind, $"{etl.Message} Undoing the earlier steps failed, so these remain: {string.Join("; ", leftBehind)}.",
                    "Remove them with Remove-EtlS3Notification once the cause is fixed.", etl.Target, etl);
            }

            throw;
        }
    }

    /// <summary>What exists for ArgoEtl projects on a bucket (or for one project), with drift from what New sets up.</summary>
    public async Task<IReadOnlyList<EtlS3Notification>> GetAsync(string? bucket, string? project, string? roleName, CancellationToken cancellationToken)
    {
        if (project is not null)
        {
            NotificationNames.ValidateProject(project);
        }

        if (bucket is not null)
        {
            NotificationNames.ValidateBucket(bucket);
        }

        var identity = await aws.GetCallerIdentityAsync(cancellationToken).ConfigureAwait(false);

        // Which (project, bucket) pairs to look at: from the bucket's entries, and from the projects' topic policies.
        var pairs = new SortedSet<(string Project, string Bucket)>();
        var topics = project is not null
            ? [$"arn:{aws.Partition}:sns:{aws.Region}:{identity.Account}:{NotificationNames.TopicName(project)}"]
            : (await Guard("Listing SNS topics", null, ct => aws.Sns.ListTopicsAsync(ct), cancellationToken).ConfigureAwait(false))
                .Where(arn => NotificationNames.ProjectOf(arn[(arn.LastIndexOf(':') + 1)..]) is not null).ToList();
        var topicPolicies = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (string arn in topics)
        {
            var attributes = await Guard($"Reading SNS topic {arn}", arn, ct => aws.Sns.GetTopicAttributesAsync(arn, ct), cancellationToken).ConfigureAwait(false);
            if (attributes is null)
            {
                continue;
            }

            topicPolicies[arn] = attributes.GetValueOrDefault("Policy");
            string topicProject = NotificationNames.ProjectOf(arn[(arn.LastIndexOf(':') + 1)..])!;
            foreach (string b in NotificationPolicies.BucketsIn(attributes.GetValueOrDefault("Policy")).Where(b => bucket is null || b == bucket))
            {
                pairs.Add((topicProject, b));
            }
        }

        var settingsByBucket = new Dictionary<string, BucketNotificationSettings?>(StringComparer.Ordinal);
        async Task<BucketNotificationSettings?> SettingsOf(string b)
        {
            if (!settingsByBucket.TryGetValue(b, out var s))
            {
                s = settingsByBucket[b] = await ReadSettingsAsync(b, identity.Account, cancellationToken, missingBucketIsEmpty: true).ConfigureAwait(false);
            }

            return s;
        }

        // A bucket asked for by name must exist: an empty answer would read as "no notifications" (NoSuchBucket is not that).
        if (bucket is not null)
        {
            var own = await SettingsOf(bucket).ConfigureAwait(false) ?? throw BucketNotFound(bucket);
            foreach (var t in own.Topics)
            {
                if (t.Id is not null && NotificationNames.ProjectOf(t.Id) is { } p && (project is null || p == project))
                {
                    pairs.Add((p, bucket));
                }
            }
        }

        var found = new List<EtlS3Notification>();
        foreach (var (p, b) in pairs)
        {
            string id = NotificationNames.ConfigurationId(p);
            string topicArn = $"arn:{aws.Partition}:sns:{aws.Region}:{identity.Account}:{NotificationNames.TopicName(p)}";
            var settings = await SettingsOf(b).ConfigureAwait(false);
            var entry = settings?.Find(id);
            var view = entry is null ? null : BucketNotificationSettings.ToEntry(entry.Id, "Topic", entry.Events, entry.Filter);
            var drift = new List<string>();
            if (settings is null)
            {
                drift.Add("BucketMissing");
            }
            else if (entry is null)
            {
                drift.Add("ConfigurationMissing");
            }
            else if (entry.Topic != topicArn)
            {
                drift.Add($"ConfigurationTargetsOtherTopic:{entry.Topic}");
            }

            if (!topicPolicies.TryGetValue(topicArn, out var policy))
            {
                var attributes = await Guard($"Reading SNS topic {topicArn}", topicArn, ct => aws.Sns.GetTopicAttributesAsync(topicArn, ct), cancellationToken).ConfigureAwait(false);
                policy = attributes?.GetValueOrDefault("Policy");
                if (attributes is null)
                {
                    drift.Add("TopicMissing");
                }
            }

            if (policy is not null && !NotificationPolicies.TopicPolicyAllows(policy, topicArn, $"arn:{aws.Partition}:s3:::{b}", identity.Account, b))
            {
                drift.Add("TopicPolicyMissing");
            }

            var policyNames = new List<string>();
            if (roleName is not null)
            {
                foreach (string name in new[] { NotificationNames.SubscribePolicyName(p), NotificationNames.BucketPolicyName(p) })
                {
                    if (await Guard($"Reading IAM policy {name} of role {roleName}", roleName, ct => aws.Iam.GetRolePolicyAsync(roleName, name, ct), cancellationToken, notFound: () => null).ConfigureAwait(false) is null)
                    {
                        drift.Add($"RolePolicyMissing:{name}");
                    }
                    else
                    {
                        policyNames.Add(name);
                    }
                }
            }

            found.Add(new EtlS3Notification
            {
                Project = p,
                Bucket = b,
                Prefix = view?.Prefix ?? string.Empty,
                Suffix = view?.Suffix ?? string.Empty,
                Events = view?.Events ?? [],
                Region = aws.Region,
                AccountId = identity.Account,
                TopicArn = topicArn,
                ConfigurationId = id,
                RoleName = roleName,
                PolicyNames = policyNames,
                Drift = drift,
            });
        }

        return found;
    }

    private static EtlException BucketNotFound(string bucket) => new(EtlErrors.S3BucketNotFound, $"Bucket '{bucket}' does not exist (NoSuchBucket), or is not visible to this account.",
        "Check the bucket name (and -Region), create the bucket first, or use the account that owns it.", bucket);

    private async Task CheckBucketRegionAsync(string bucket, CancellationToken cancellationToken)
    {
        var location = await Guard($"Finding bucket {bucket}", bucket, ct => aws.S3.GetBucketLocationAsync(bucket, ct), cancellationToken, notFound: () => BucketNotFound(bucket)).ConfigureAwait(false);

        // S3 reports us-east-1 as an empty constraint and eu-west-1 by its old name EU.
        string region = location.Location?.Value switch
        {
            null or "" => "us-east-1",
            "EU" => "eu-west-1",
            var r => r,
        };
        if (region != aws.Region)
        {
            throw new EtlException(EtlErrors.S3BucketInOtherRegion, $"Bucket '{bucket}' is in {region}, not {aws.Region}. S3 sends notifications only to SNS topics in the bucket's own region.",
                $"Run again with -Region {region}.", bucket);
        }
    }

    private async Task<BucketNotificationSettings?> ReadSettingsAsync(string bucket, string account, CancellationToken cancellationToken, bool missingBucketIsEmpty = false)
    {
        try
        {
            var response = await aws.S3.GetBucketNotificationAsync(new GetBucketNotificationRequest { BucketName = bucket, ExpectedBucketOwner = account }, cancellationToken).ConfigureAwait(false);
            return BucketNotificationSettings.From(response);
        }
        catch (AmazonServiceException ex) when (missingBucketIsEmpty && ex.ErrorCode == "NoSuchBucket")
        {
            return null;
        }
        catch (Exception ex) when (ex is not AmazonServiceException && SignedHttpClient.IsConnectionFailure(ex))
        {
            throw aws.Unreachable("s3", ex);
        }
        catch (AmazonServiceException ex)
        {
            throw ToAws("s3", "GetBucketNotificationConfiguration", ex).ToEtlException($"Reading the notification configuration of bucket {bucket}", bucket);
        }
    }

    // Takes our entry back out (or puts the previous version back) against the configuration as it is now, so an entry
    // someone else added in the meantime is not lost.
    private async Task RestoreSettingsAsync(string bucket, string account, string id, TopicConfiguration? previous, CancellationToken cancellationToken)
    {
        var now = await ReadSettingsAsync(bucket, account, cancellationToken).ConfigureAwait(false) ?? throw new EtlException(EtlErrors.S3NotificationIncomplete,
            $"Restoring the notification settings of bucket '{bucket}': the bucket no longer answers, so entry '{id}' may be left as it was.", target: bucket);
        var restored = previous is null ? now.Without(id) : now.With(previous);
        await aws.S3.PutBucketNotificationAsync(restored.ToPutRequest(bucket, account), cancellationToken).ConfigureAwait(false);
    }

    private static AwsServiceException ToAws(string service, string action, AmazonServiceException ex) =>
        new(service, action, ex.StatusCode, ex.ErrorCode ?? ex.StatusCode.ToString(), ex.Message);

    private async Task Guard(string what, object? target, Func<CancellationToken, Task> call, CancellationToken cancellationToken) =>
        await Guard<bool>(what, target, async ct =>
        {
            await call(ct).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);

    // Runs one AWS call and gives its failure the context of what was being done; notFound, when given, replaces the
    // generic not-found error (or, returning null, turns it into a default result).
    private async Task<T> Guard<T>(string what, object? target, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken, Func<EtlException?>? notFound = null)
    {
        AwsServiceException failure;
        try
        {
            return await call(cancellationToken).ConfigureAwait(false);
        }
        catch (AwsServiceException ex)
        {
            failure = ex;
        }
        catch (Exception ex) when (ex is not (AmazonServiceException or EtlException) && SignedHttpClient.IsConnectionFailure(ex))
        {
            // Only S3 calls go through the SDK here; SNS and IAM report their own unreachable endpoint.
            throw aws.Unreachable("s3", ex);
        }
        catch (AmazonServiceException ex)
        {
            // Only S3 calls go through the SDK here (STS is translated in AwsSession).
            failure = ToAws("s3", what, ex);
        }

        if (failure.IsNotFound && notFound is not null)
        {
            return notFound() is { } specific ? throw specific : default!;
        }

        throw failure.ToEtlException(what, target);
    }
}
