namespace ArgoEtl.Core.Aws;

/// <summary>The IAM calls ArgoEtl makes (inline policies of a role), over the Query protocol.</summary>
public sealed class IamClient(AwsQueryClient query)
{
    public Task PutRolePolicyAsync(string role, string policyName, string document, CancellationToken cancellationToken) =>
        query.CallAsync("PutRolePolicy", [new("RoleName", role), new("PolicyName", policyName), new("PolicyDocument", document)], cancellationToken);

    /// <summary>The policy document (JSON), or null when the role has no inline policy of that name.</summary>
    public async Task<string?> GetRolePolicyAsync(string role, string policyName, CancellationToken cancellationToken)
    {
        try
        {
            var result = await query.CallAsync("GetRolePolicy", [new("RoleName", role), new("PolicyName", policyName)], cancellationToken).ConfigureAwait(false);

            // IAM returns documents URL-encoded.
            return AwsQueryClient.Text(result, "PolicyDocument") is { } encoded ? Uri.UnescapeDataString(encoded) : null;
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }

    /// <summary>Deletes the inline policy; false when it was not there.</summary>
    public async Task<bool> DeleteRolePolicyAsync(string role, string policyName, CancellationToken cancellationToken)
    {
        try
        {
            await query.CallAsync("DeleteRolePolicy", [new("RoleName", role), new("PolicyName", policyName)], cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
            return false;
        }
    }

    /// <summary>The role's inline policy names; throws NotFound when the role does not exist.</summary>
    public async Task<IReadOnlyList<string>> ListRolePoliciesAsync(string role, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        string? marker = null;
        do
        {
            var parameters = new List<KeyValuePair<string, string>> { new("RoleName", role) };
            if (marker is not null)
            {
                parameters.Add(new("Marker", marker));
            }

            var result = await query.CallAsync("ListRolePolicies", parameters, cancellationToken).ConfigureAwait(false);
            names.AddRange(AwsQueryClient.Members(result, "PolicyNames").Select(m => m.Value));
            marker = AwsQueryClient.Text(result, "IsTruncated") == "true" ? AwsQueryClient.Text(result, "Marker") : null;
        }
        while (marker is not null);

        return names;
    }
}
