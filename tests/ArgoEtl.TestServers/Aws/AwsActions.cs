namespace ArgoEtl.TestServers.Aws;

/// <summary>Which actions change state: what the call log counts as mutating (a -WhatIf run must make none).</summary>
public static class AwsActions
{
    private static readonly string[] ReadPrefixes = ["Get", "List", "Describe", "Head"];

    public static bool IsMutating(string action) =>
        action.Length > 0 && !ReadPrefixes.Any(p => action.StartsWith(p, StringComparison.Ordinal)) && action is not ("Unsupported" or "GetCallerIdentity");
}
