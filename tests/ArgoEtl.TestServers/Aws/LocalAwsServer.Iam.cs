using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace ArgoEtl.TestServers.Aws;

/// <summary>
/// IAM as the real service answers: roles with trust policies, inline policies, customer managed policies and their
/// attachments, OIDC providers. Status codes and codes as IAM's: NoSuchEntity 404, EntityAlreadyExists 409,
/// DeleteConflict 409 (a role with policies, a policy still attached), MalformedPolicyDocument 400, ValidationError 400.
/// Documents come back URL-encoded, as IAM sends them.
/// </summary>
public sealed partial class LocalAwsServer
{
    [GeneratedRegex(@"^[\w+=,.@-]{1,64}$")]
    private static partial Regex RoleNamePattern();

    [GeneratedRegex(@"^[\w+=,.@-]{1,128}$")]
    private static partial Regex PolicyNamePattern();

    private QueryResult Iam(string action, Dictionary<string, string> form)
    {
        lock (State.Gate)
        {
            return action switch
            {
                "CreateRole" => CreateRole(form),
                "GetRole" => WithRole(form, r => QueryResult.Ok(RoleXml(r))),
                // As IAM answers: members with the role's fields and trust policy, but without tags.
                "ListRoles" => QueryResult.Ok(
                    new XElement("Roles", State.Roles.Values.OrderBy(r => r.Name, StringComparer.Ordinal).Select(r => new XElement("member", RoleXml(r).Elements().Where(e => e.Name != "Tags")))),
                    new XElement("IsTruncated", "false")),
                "DeleteRole" => DeleteRole(form),
                "UpdateAssumeRolePolicy" => WithRole(form, r =>
                {
                    string document = form.GetValueOrDefault("PolicyDocument") ?? string.Empty;
                    if (TrustPolicyProblem(document) is { } problem)
                    {
                        return QueryResult.Error(400, "MalformedPolicyDocument", problem);
                    }

                    r.TrustPolicy = document;
                    return QueryResult.Ok();
                }),
                "PutRolePolicy" => WithRole(form, r =>
                {
                    string document = form.GetValueOrDefault("PolicyDocument") ?? string.Empty;
                    if (!IsJsonObject(document))
                    {
                        return QueryResult.Error(400, "MalformedPolicyDocument", "Syntax errors in policy.");
                    }

                    r.Inline[form.GetValueOrDefault("PolicyName") ?? string.Empty] = document;
                    return QueryResult.Ok();
                }),
                "GetRolePolicy" => WithRole(form, r =>
                {
                    string policy = form.GetValueOrDefault("PolicyName") ?? string.Empty;
                    return r.Inline.TryGetValue(policy, out var stored)
                        ? QueryResult.Ok(new XElement("RoleName", r.Name), new XElement("PolicyName", policy), new XElement("PolicyDocument", Uri.EscapeDataString(stored)))
                        : QueryResult.Error(404, "NoSuchEntity", $"The role policy with name {policy} cannot be found.");
                }),
                "DeleteRolePolicy" => WithRole(form, r =>
                {
                    string policy = form.GetValueOrDefault("PolicyName") ?? string.Empty;
                    return r.Inline.Remove(policy) ? QueryResult.Ok() : QueryResult.Error(404, "NoSuchEntity", $"The role policy with name {policy} cannot be found.");
                }),
                "ListRolePolicies" => WithRole(form, r => QueryResult.Ok(
                    new XElement("PolicyNames", r.Inline.Keys.Order(StringComparer.Ordinal).Select(p => new XElement("member", p))), new XElement("IsTruncated", "false"))),
                "AttachRolePolicy" => WithRole(form, r =>
                {
                    string arn = form.GetValueOrDefault("PolicyArn") ?? string.Empty;
                    if (!State.Policies.ContainsKey(arn) && !arn.StartsWith("arn:aws:iam::aws:policy/", StringComparison.Ordinal))
                    {
                        return QueryResult.Error(404, "NoSuchEntity", $"Policy {arn} does not exist or is not attachable.");
                    }

                    if (!r.Attached.Contains(arn))
                    {
                        r.Attached.Add(arn);
                    }

                    return QueryResult.Ok();
                }),
                "DetachRolePolicy" => WithRole(form, r =>
                {
                    string arn = form.GetValueOrDefault("PolicyArn") ?? string.Empty;
                    return r.Attached.Remove(arn) ? QueryResult.Ok() : QueryResult.Error(404, "NoSuchEntity", $"Policy {arn} was not found.");
                }),
                "ListAttachedRolePolicies" => WithRole(form, r => QueryResult.Ok(
                    new XElement("AttachedPolicies", r.Attached.Select(a => new XElement("member", new XElement("PolicyName", a[(a.LastIndexOf('/') + 1)..]), new XElement("PolicyArn", a)))),
                    new XElement("IsTruncated", "false"))),
                "CreatePolicy" => CreatePolicy(form),
                "GetPolicy" => WithPolicy(form, p => QueryResult.Ok(PolicyXml(p))),
                "GetPolicyVersion" => WithPolicy(form, p => form.GetValueOrDefault("VersionId") == "v1"
                    ? QueryResult.Ok(new XElement("PolicyVersion", new XElement("Document", Uri.EscapeDataString(p.Document)), new XElement("VersionId", "v1"),
                        new XElement("IsDefaultVersion", "true"), new XElement("CreateDate", Date(p.Created))))
                    : QueryResult.Error(404, "NoSuchEntity", $"Policy {p.Arn} version {form.GetValueOrDefault("VersionId")} does not exist or is not attachable.")),
                "DeletePolicy" => WithPolicy(form, p =>
                {
                    if (Attachments(p.Arn) > 0)
                    {
                        return QueryResult.Error(409, "DeleteConflict", "Cannot delete a policy attached to entities.");
                    }

                    State.Policies.Remove(p.Arn);
                    return QueryResult.Ok();
                }),
                "ListEntitiesForPolicy" => WithPolicy(form, p => QueryResult.Ok(
                    new XElement("PolicyRoles", State.Roles.Values.Where(r => r.Attached.Contains(p.Arn)).Select(r => new XElement("member", new XElement("RoleName", r.Name), new XElement("RoleId", r.RoleId)))),
                    new XElement("PolicyGroups"),
                    new XElement("PolicyUsers", p.OtherAttachments.Select(u => new XElement("member", new XElement("UserName", u), new XElement("UserId", "AIDA" + u.ToUpperInvariant())))),
                    new XElement("IsTruncated", "false"))),
                "CreateOpenIDConnectProvider" => CreateOidcProvider(form),
                "GetOpenIDConnectProvider" => WithProvider(form, p => QueryResult.Ok(
                    new XElement("ThumbprintList", p.Thumbprints.Select(t => new XElement("member", t))),
                    new XElement("CreateDate", Date(p.Created)),
                    new XElement("ClientIDList", p.ClientIds.Select(c => new XElement("member", c))),
                    new XElement("Url", p.Url),
                    TagsXml(p.Tags))),
                "ListOpenIDConnectProviders" => QueryResult.Ok(new XElement("OpenIDConnectProviderList",
                    State.OidcProviders.Keys.Order(StringComparer.Ordinal).Select(a => new XElement("member", new XElement("Arn", a))))),
                "DeleteOpenIDConnectProvider" => WithProvider(form, p =>
                {
                    State.OidcProviders.Remove(p.Arn);
                    return QueryResult.Ok();
                }),
                _ => QueryResult.Error(400, "InvalidAction", $"The action {action} is not valid for this endpoint."),
            };
        }
    }

    private QueryResult CreateRole(Dictionary<string, string> form)
    {
        string name = form.GetValueOrDefault("RoleName") ?? string.Empty;
        if (!RoleNamePattern().IsMatch(name))
        {
            return QueryResult.Error(400, "ValidationError", $"1 validation error detected: Value '{name}' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+");
        }

        // IAM role names are unique case-insensitively.
        if (State.Roles.Keys.Any(k => k.Equals(name, StringComparison.OrdinalIgnoreCase)))
        {
            return QueryResult.Error(409, "EntityAlreadyExists", $"Role with name {name} already exists.");
        }

        string document = form.GetValueOrDefault("AssumeRolePolicyDocument") ?? string.Empty;
        if (TrustPolicyProblem(document) is { } problem)
        {
            return QueryResult.Error(400, "MalformedPolicyDocument", problem);
        }

        var role = new RoleState(name, document) { Description = form.GetValueOrDefault("Description") };
        foreach (var (key, value) in FormTags(form))
        {
            role.Tags[key] = value;
        }

        State.Roles[name] = role;
        return QueryResult.Ok(RoleXml(role));
    }

    private QueryResult DeleteRole(Dictionary<string, string> form) => WithRole(form, r =>
    {
        if (r.Attached.Count > 0)
        {
            return QueryResult.Error(409, "DeleteConflict", "Cannot delete entity, must detach all policies first.");
        }

        if (r.Inline.Count > 0)
        {
            return QueryResult.Error(409, "DeleteConflict", "Cannot delete entity, must delete policies first.");
        }

        State.Roles.Remove(r.Name);
        return QueryResult.Ok();
    });

    private QueryResult CreatePolicy(Dictionary<string, string> form)
    {
        string name = form.GetValueOrDefault("PolicyName") ?? string.Empty;
        if (!PolicyNamePattern().IsMatch(name))
        {
            return QueryResult.Error(400, "ValidationError", $"1 validation error detected: Value '{name}' at 'policyName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+");
        }

        string document = form.GetValueOrDefault("PolicyDocument") ?? string.Empty;
        if (!IsJsonObject(document) || !HasStatements(document))
        {
            return QueryResult.Error(400, "MalformedPolicyDocument", "Syntax errors in policy.");
        }

        var policy = new ManagedPolicyState(name, document);
        if (State.Policies.ContainsKey(policy.Arn))
        {
            return QueryResult.Error(409, "EntityAlreadyExists", $"A policy called {name} already exists. Duplicate names are not allowed.");
        }

        foreach (var (key, value) in FormTags(form))
        {
            policy.Tags[key] = value;
        }

        State.Policies[policy.Arn] = policy;
        return QueryResult.Ok(PolicyXml(policy));
    }

    private QueryResult CreateOidcProvider(Dictionary<string, string> form)
    {
        string url = form.GetValueOrDefault("Url") ?? string.Empty;
        if (!url.StartsWith("https://", StringComparison.Ordinal) || url.Length <= 8)
        {
            return QueryResult.Error(400, "InvalidInput", "The URL must begin with https:// and should correspond to the iss claim in the provider's OpenID Connect ID tokens.");
        }

        var provider = new OidcProviderState(url[8..].TrimEnd('/'));
        if (State.OidcProviders.ContainsKey(provider.Arn))
        {
            return QueryResult.Error(409, "EntityAlreadyExists", $"Provider with url {url} already exists.");
        }

        provider.ClientIds.AddRange(FormList(form, "ClientIDList"));
        provider.Thumbprints.AddRange(FormList(form, "ThumbprintList"));
        if (provider.Thumbprints.Any(t => t.Length != 40 || !t.All(char.IsAsciiHexDigit)))
        {
            return QueryResult.Error(400, "InvalidInput", "Thumbprint must be 40 hexadecimal characters.");
        }

        foreach (var (key, value) in FormTags(form))
        {
            provider.Tags[key] = value;
        }

        State.OidcProviders[provider.Arn] = provider;
        return QueryResult.Ok(new XElement("OpenIDConnectProviderArn", provider.Arn), TagsXml(provider.Tags));
    }

    private QueryResult WithRole(Dictionary<string, string> form, Func<RoleState, QueryResult> then)
    {
        string name = form.GetValueOrDefault("RoleName") ?? string.Empty;
        return State.Roles.TryGetValue(name, out var role) ? then(role) : QueryResult.Error(404, "NoSuchEntity", $"The role with name {name} cannot be found.");
    }

    private QueryResult WithPolicy(Dictionary<string, string> form, Func<ManagedPolicyState, QueryResult> then)
    {
        string arn = form.GetValueOrDefault("PolicyArn") ?? string.Empty;
        return State.Policies.TryGetValue(arn, out var policy) ? then(policy) : QueryResult.Error(404, "NoSuchEntity", $"Policy {arn} does not exist or is not attachable.");
    }

    private QueryResult WithProvider(Dictionary<string, string> form, Func<OidcProviderState, QueryResult> then)
    {
        string arn = form.GetValueOrDefault("OpenIDConnectProviderArn") ?? string.Empty;
        return State.OidcProviders.TryGetValue(arn, out var provider) ? then(provider) : QueryResult.Error(404, "NoSuchEntity", $"OpenIDConnect Provider not found for arn {arn}");
    }

    private int Attachments(string policyArn) => State.Roles.Values.Count(r => r.Attached.Contains(policyArn)) + (State.Policies.TryGetValue(policyArn, out var p) ? p.OtherAttachments.Count : 0);

    // A trust policy must parse, have statements with Effect, Principal and Action, and name only federated
    // principals that exist (IAM: "Invalid principal in policy").
    private string? TrustPolicyProblem(string document)
    {
        if (!IsJsonObject(document) || !HasStatements(document))
        {
            return "Syntax errors in policy.";
        }

        using var doc = JsonDocument.Parse(document);
        var statements = doc.RootElement.GetProperty("Statement");
        foreach (var statement in statements.ValueKind == JsonValueKind.Array ? statements.EnumerateArray().ToArray() : [statements])
        {
            if (!statement.TryGetProperty("Principal", out var principal))
            {
                return "AssumeRolepolicy contained an invalid principal element.";
            }

            if (!statement.TryGetProperty("Action", out _) || !statement.TryGetProperty("Effect", out _))
            {
                return "Syntax errors in policy.";
            }

            if (principal.ValueKind == JsonValueKind.Object && principal.TryGetProperty("Federated", out var federated) && federated.ValueKind == JsonValueKind.String)
            {
                string arn = federated.GetString()!;
                if (arn.Contains(":oidc-provider/", StringComparison.Ordinal) && !State.OidcProviders.ContainsKey(arn))
                {
                    return $"Invalid principal in policy: \"FEDERATED\":\"{arn}\"";
                }
            }
        }

        return null;
    }

    private static bool HasStatements(string document)
    {
        using var doc = JsonDocument.Parse(document);
        return doc.RootElement.TryGetProperty("Statement", out var s) && s.ValueKind is JsonValueKind.Array or JsonValueKind.Object;
    }

    private static IEnumerable<string> FormList(Dictionary<string, string> form, string name)
    {
        for (int i = 1; form.TryGetValue($"{name}.member.{i}", out var value); i++)
        {
            yield return value;
        }
    }

    private static IEnumerable<KeyValuePair<string, string>> FormTags(Dictionary<string, string> form)
    {
        for (int i = 1; form.TryGetValue($"Tags.member.{i}.Key", out var key); i++)
        {
            yield return new(key, form.GetValueOrDefault($"Tags.member.{i}.Value") ?? string.Empty);
        }
    }

    private static XElement RoleXml(RoleState r) => new("Role",
        new XElement("Path", "/"), new XElement("RoleName", r.Name), new XElement("RoleId", r.RoleId), new XElement("Arn", r.Arn),
        new XElement("CreateDate", Date(r.Created)), new XElement("AssumeRolePolicyDocument", Uri.EscapeDataString(r.TrustPolicy)),
        r.Description is null ? null : new XElement("Description", r.Description), new XElement("MaxSessionDuration", "3600"), TagsXml(r.Tags));

    private XElement PolicyXml(ManagedPolicyState p) => new("Policy",
        new XElement("PolicyName", p.Name), new XElement("DefaultVersionId", "v1"), new XElement("PolicyId", p.PolicyId), new XElement("Path", "/"),
        new XElement("Arn", p.Arn), new XElement("AttachmentCount", Attachments(p.Arn).ToString(CultureInfo.InvariantCulture)),
        new XElement("PermissionsBoundaryUsageCount", "0"), new XElement("IsAttachable", "true"),
        new XElement("CreateDate", Date(p.Created)), new XElement("UpdateDate", Date(p.Created)), TagsXml(p.Tags));

    private static XElement TagsXml(Dictionary<string, string> tags) =>
        new("Tags", tags.Select(t => new XElement("member", new XElement("Key", t.Key), new XElement("Value", t.Value))));

    private static string Date(DateTime value) => value.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
