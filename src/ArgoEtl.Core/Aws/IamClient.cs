using System.Xml.Linq;

namespace ArgoEtl.Core.Aws;

/// <summary>
/// The IAM calls ArgoEtl makes, over the Query protocol: inline policies of a role, roles with their trust policies,
/// customer managed policies and their attachments, and OpenID Connect providers (IRSA). Reads return null (or false
/// for deletes) when the entity does not exist; every other AWS error is thrown as <see cref="AwsServiceException"/>
/// for the caller to put in context (<see cref="AwsServiceException.ToEtlException"/>).
/// </summary>
public sealed class IamClient(AwsQueryClient query, string partition = "aws")
{
    /// <summary>aws, aws-cn or aws-us-gov (for ARNs built here).</summary>
    public string Partition => partition;

    // ---- inline role policies ----

    public Task PutRolePolicyAsync(string role, string policyName, string document, CancellationToken cancellationToken) =>
        query.CallAsync("PutRolePolicy", [new("RoleName", role), new("PolicyName", policyName), new("PolicyDocument", document)], cancellationToken);

    /// <summary>The policy document (JSON), or null when the role has no inline policy of that name.</summary>
    public async Task<string?> GetRolePolicyAsync(string role, string policyName, CancellationToken cancellationToken)
    {
        var result = await OrNull(query.CallAsync("GetRolePolicy", [new("RoleName", role), new("PolicyName", policyName)], cancellationToken)).ConfigureAwait(false);
        return result is null ? null : Document(AwsQueryClient.Text(result, "PolicyDocument"));
    }

    /// <summary>Deletes the inline policy; false when it was not there.</summary>
    public Task<bool> DeleteRolePolicyAsync(string role, string policyName, CancellationToken cancellationToken) =>
        Done(query.CallAsync("DeleteRolePolicy", [new("RoleName", role), new("PolicyName", policyName)], cancellationToken));

    /// <summary>The role's inline policy names; throws NotFound when the role does not exist.</summary>
    public Task<IReadOnlyList<string>> ListRolePoliciesAsync(string role, CancellationToken cancellationToken) =>
        PagedAsync("ListRolePolicies", [new("RoleName", role)], r => AwsQueryClient.Members(r, "PolicyNames").Select(m => m.Value), cancellationToken);

    // ---- roles ----

    /// <summary>The role with its trust policy and tags, or null when there is none of that name.</summary>
    public async Task<IamRole?> GetRoleAsync(string role, CancellationToken cancellationToken)
    {
        var result = await OrNull(query.CallAsync("GetRole", [new("RoleName", role)], cancellationToken)).ConfigureAwait(false);
        return result is null ? null : ReadRole(Child(result, "Role"));
    }

    /// <summary>CreateRole. An existing role of that name is the AWS error EntityAlreadyExists (<see cref="AwsServiceException.IsConflict"/>).</summary>
    public async Task<IamRole> CreateRoleAsync(string role, string trustPolicy, string? description, IReadOnlyDictionary<string, string>? tags, CancellationToken cancellationToken)
    {
        var parameters = new List<KeyValuePair<string, string>> { new("RoleName", role), new("AssumeRolePolicyDocument", trustPolicy), new("Path", "/") };
        if (description is not null)
        {
            parameters.Add(new("Description", description));
        }

        parameters.AddRange(AwsQueryClient.Tags(tags ?? new Dictionary<string, string>()));
        var result = await query.CallAsync("CreateRole", parameters, cancellationToken).ConfigureAwait(false);
        return ReadRole(Child(result, "Role"));
    }

    /// <summary>Every role of the account with its trust policy (ListRoles, all pages; ListRoles returns no tags).</summary>
    public async Task<IReadOnlyList<IamRole>> ListRolesAsync(CancellationToken cancellationToken)
    {
        var roles = new List<IamRole>();
        string? marker = null;
        do
        {
            var result = await query.CallAsync("ListRoles", marker is null ? [] : [new("Marker", marker)], cancellationToken).ConfigureAwait(false);
            roles.AddRange(AwsQueryClient.Members(result, "Roles").Select(ReadRole));
            marker = AwsQueryClient.Text(result, "IsTruncated") == "true" ? AwsQueryClient.Text(result, "Marker") : null;
        }
        while (marker is not null);

        return roles;
    }

    public Task UpdateAssumeRolePolicyAsync(string role, string trustPolicy, CancellationToken cancellationToken) =>
        query.CallAsync("UpdateAssumeRolePolicy", [new("RoleName", role), new("PolicyDocument", trustPolicy)], cancellationToken);

    /// <summary>Deletes the role; false when it was not there. IAM refuses (DeleteConflict) while policies are attached or inline.</summary>
    public Task<bool> DeleteRoleAsync(string role, CancellationToken cancellationToken) =>
        Done(query.CallAsync("DeleteRole", [new("RoleName", role)], cancellationToken));

    // ---- managed policies and attachments ----

    /// <summary>CreatePolicy (version v1 as the default). An existing name is EntityAlreadyExists.</summary>
    public async Task<IamManagedPolicy> CreatePolicyAsync(string name, string document, string? description, IReadOnlyDictionary<string, string>? tags, CancellationToken cancellationToken)
    {
        var parameters = new List<KeyValuePair<string, string>> { new("PolicyName", name), new("PolicyDocument", document), new("Path", "/") };
        if (description is not null)
        {
            parameters.Add(new("Description", description));
        }

        parameters.AddRange(AwsQueryClient.Tags(tags ?? new Dictionary<string, string>()));
        var result = await query.CallAsync("CreatePolicy", parameters, cancellationToken).ConfigureAwait(false);
        return ReadPolicy(Child(result, "Policy"));
    }

    /// <summary>The policy with its attachment count, or null when there is none at that ARN.</summary>
    public async Task<IamManagedPolicy?> GetPolicyAsync(string policyArn, CancellationToken cancellationToken)
    {
        var result = await OrNull(query.CallAsync("GetPolicy", [new("PolicyArn", policyArn)], cancellationToken)).ConfigureAwait(false);
        return result is null ? null : ReadPolicy(Child(result, "Policy"));
    }

    /// <summary>The JSON document of one version of a managed policy, or null when there is no such version.</summary>
    public async Task<string?> GetPolicyDocumentAsync(string policyArn, string versionId, CancellationToken cancellationToken)
    {
        var result = await OrNull(query.CallAsync("GetPolicyVersion", [new("PolicyArn", policyArn), new("VersionId", versionId)], cancellationToken)).ConfigureAwait(false);
        return result is null ? null : Document(AwsQueryClient.Text(Child(result, "PolicyVersion"), "Document"));
    }

    /// <summary>Deletes the policy; false when it was not there. IAM refuses (DeleteConflict) while it is attached anywhere.</summary>
    public Task<bool> DeletePolicyAsync(string policyArn, CancellationToken cancellationToken) =>
        Done(query.CallAsync("DeletePolicy", [new("PolicyArn", policyArn)], cancellationToken));

    /// <summary>Who the policy is attached to — roles, users, groups — all of them, to decide whether it may go.</summary>
    public async Task<IamPolicyEntities> ListEntitiesForPolicyAsync(string policyArn, CancellationToken cancellationToken)
    {
        var roles = new List<string>();
        var users = new List<string>();
        var groups = new List<string>();
        await PagedAsync("ListEntitiesForPolicy", [new("PolicyArn", policyArn)], r =>
        {
            roles.AddRange(AwsQueryClient.Members(r, "PolicyRoles").Select(m => AwsQueryClient.Text(m, "RoleName") ?? string.Empty));
            users.AddRange(AwsQueryClient.Members(r, "PolicyUsers").Select(m => AwsQueryClient.Text(m, "UserName") ?? string.Empty));
            groups.AddRange(AwsQueryClient.Members(r, "PolicyGroups").Select(m => AwsQueryClient.Text(m, "GroupName") ?? string.Empty));
            return [];
        }, cancellationToken).ConfigureAwait(false);
        return new IamPolicyEntities(roles, users, groups);
    }

    /// <summary>AttachRolePolicy (attaching twice is not an error in IAM).</summary>
    public Task AttachRolePolicyAsync(string role, string policyArn, CancellationToken cancellationToken) =>
        query.CallAsync("AttachRolePolicy", [new("RoleName", role), new("PolicyArn", policyArn)], cancellationToken);

    /// <summary>DetachRolePolicy; false when the policy was not attached (or the role is gone).</summary>
    public Task<bool> DetachRolePolicyAsync(string role, string policyArn, CancellationToken cancellationToken) =>
        Done(query.CallAsync("DetachRolePolicy", [new("RoleName", role), new("PolicyArn", policyArn)], cancellationToken));

    /// <summary>The ARNs of the managed policies attached to the role; throws NotFound when the role does not exist.</summary>
    public Task<IReadOnlyList<string>> ListAttachedRolePoliciesAsync(string role, CancellationToken cancellationToken) =>
        PagedAsync("ListAttachedRolePolicies", [new("RoleName", role)],
            r => AwsQueryClient.Members(r, "AttachedPolicies").Select(m => AwsQueryClient.Text(m, "PolicyArn") ?? string.Empty), cancellationToken);

    // ---- OpenID Connect providers ----

    public Task<IReadOnlyList<string>> ListOpenIdConnectProvidersAsync(CancellationToken cancellationToken) =>
        PagedAsync("ListOpenIDConnectProviders", [],
            r => AwsQueryClient.Members(r, "OpenIDConnectProviderList").Select(m => AwsQueryClient.Text(m, "Arn") ?? string.Empty), cancellationToken);

    /// <summary>The provider (its Url as IAM stores it: without https://), or null when there is none at that ARN.</summary>
    public async Task<IamOidcProvider?> GetOpenIdConnectProviderAsync(string providerArn, CancellationToken cancellationToken)
    {
        var result = await OrNull(query.CallAsync("GetOpenIDConnectProvider", [new("OpenIDConnectProviderArn", providerArn)], cancellationToken)).ConfigureAwait(false);
        return result is null ? null : new IamOidcProvider(
            providerArn,
            AwsQueryClient.Text(result, "Url") ?? string.Empty,
            [.. AwsQueryClient.Members(result, "ClientIDList").Select(m => m.Value)],
            [.. AwsQueryClient.Members(result, "ThumbprintList").Select(m => m.Value)],
            ReadTags(result));
    }

    /// <summary>
    /// CreateOpenIDConnectProvider for an https issuer URL; returns the provider's ARN. No thumbprint is needed: IAM
    /// checks the issuer's certificate against its trusted CAs. An existing provider for the URL is EntityAlreadyExists.
    /// </summary>
    public async Task<string> CreateOpenIdConnectProviderAsync(string url, IReadOnlyList<string> clientIds, IReadOnlyList<string>? thumbprints,
        IReadOnlyDictionary<string, string>? tags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clientIds);
        var parameters = new List<KeyValuePair<string, string>> { new("Url", url) };
        parameters.AddRange(AwsQueryClient.List("ClientIDList", clientIds));
        parameters.AddRange(AwsQueryClient.List("ThumbprintList", thumbprints ?? []));
        parameters.AddRange(AwsQueryClient.Tags(tags ?? new Dictionary<string, string>()));
        var result = await query.CallAsync("CreateOpenIDConnectProvider", parameters, cancellationToken).ConfigureAwait(false);
        return AwsQueryClient.Text(result, "OpenIDConnectProviderArn") ?? OidcProviderArn(string.Empty, url);
    }

    /// <summary>Deletes the provider; false when it was not there.</summary>
    public Task<bool> DeleteOpenIdConnectProviderAsync(string providerArn, CancellationToken cancellationToken) =>
        Done(query.CallAsync("DeleteOpenIDConnectProvider", [new("OpenIDConnectProviderArn", providerArn)], cancellationToken));

    // ---- ARNs ----

    /// <summary>arn:aws:iam::ACCOUNT:oidc-provider/HOST/PATH of an issuer URL (with or without https://).</summary>
    public string OidcProviderArn(string account, string issuerUrl)
    {
        ArgumentNullException.ThrowIfNull(issuerUrl);
        return $"arn:{partition}:iam::{account}:oidc-provider/{IssuerHostPath(issuerUrl)}";
    }

    public string PolicyArn(string account, string name) => $"arn:{partition}:iam::{account}:policy/{name}";

    public string RoleArn(string account, string name) => $"arn:{partition}:iam::{account}:role/{name}";

    /// <summary>An issuer URL as IAM conditions and provider ARNs spell it: host and path, no scheme, no trailing slash.</summary>
    public static string IssuerHostPath(string issuerUrl)
    {
        ArgumentNullException.ThrowIfNull(issuerUrl);
        string text = issuerUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? issuerUrl[8..] : issuerUrl;
        return text.TrimEnd('/');
    }

    // ---- helpers ----

    private async Task<IReadOnlyList<string>> PagedAsync(string action, IReadOnlyList<KeyValuePair<string, string>> parameters, Func<XElement, IEnumerable<string>> read,
        CancellationToken cancellationToken)
    {
        var items = new List<string>();
        string? marker = null;
        do
        {
            var page = new List<KeyValuePair<string, string>>(parameters);
            if (marker is not null)
            {
                page.Add(new("Marker", marker));
            }

            var result = await query.CallAsync(action, page, cancellationToken).ConfigureAwait(false);
            items.AddRange(read(result));
            marker = AwsQueryClient.Text(result, "IsTruncated") == "true" ? AwsQueryClient.Text(result, "Marker") : null;
        }
        while (marker is not null);

        return items;
    }

    private static async Task<XElement?> OrNull(Task<XElement> call)
    {
        try
        {
            return await call.ConfigureAwait(false);
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }

    private static async Task<bool> Done(Task<XElement> call) => await OrNull(call).ConfigureAwait(false) is not null;

    private static XElement Child(XElement parent, string name) => parent.Elements().FirstOrDefault(e => e.Name.LocalName == name) ?? new XElement(name);

    // IAM returns policy documents URL-encoded.
    private static string? Document(string? encoded) => encoded is null ? null : Uri.UnescapeDataString(encoded);

    private static Dictionary<string, string> ReadTags(XElement parent) =>
        AwsQueryClient.Members(parent, "Tags").ToDictionary(m => AwsQueryClient.Text(m, "Key") ?? string.Empty, m => AwsQueryClient.Text(m, "Value") ?? string.Empty, StringComparer.Ordinal);

    private static IamRole ReadRole(XElement role) => new(
        AwsQueryClient.Text(role, "RoleName") ?? string.Empty,
        AwsQueryClient.Text(role, "Arn") ?? string.Empty,
        Document(AwsQueryClient.Text(role, "AssumeRolePolicyDocument")),
        ReadTags(role));

    private static IamManagedPolicy ReadPolicy(XElement policy) => new(
        AwsQueryClient.Text(policy, "PolicyName") ?? string.Empty,
        AwsQueryClient.Text(policy, "Arn") ?? string.Empty,
        int.TryParse(AwsQueryClient.Text(policy, "AttachmentCount"), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int count) ? count : 0,
        AwsQueryClient.Text(policy, "DefaultVersionId") ?? "v1",
        ReadTags(policy));
}

/// <summary>An IAM role: its name, ARN, trust policy (JSON) and tags.</summary>
public sealed record IamRole(string Name, string Arn, string? TrustPolicy, IReadOnlyDictionary<string, string> Tags);

/// <summary>A customer managed policy: name, ARN, how many entities it is attached to, its default version, tags.</summary>
public sealed record IamManagedPolicy(string Name, string Arn, int AttachmentCount, string DefaultVersionId, IReadOnlyDictionary<string, string> Tags);

/// <summary>An IAM OpenID Connect provider: ARN, the issuer as IAM stores it (no scheme), audiences, thumbprints, tags.</summary>
public sealed record IamOidcProvider(string Arn, string Url, IReadOnlyList<string> ClientIds, IReadOnlyList<string> Thumbprints, IReadOnlyDictionary<string, string> Tags);

/// <summary>Everything a managed policy is attached to.</summary>
public sealed record IamPolicyEntities(IReadOnlyList<string> Roles, IReadOnlyList<string> Users, IReadOnlyList<string> Groups)
{
    public int Count => Roles.Count + Users.Count + Groups.Count;
}
