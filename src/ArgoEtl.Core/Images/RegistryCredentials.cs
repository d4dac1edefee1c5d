using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace ArgoEtl.Core.Images;

/// <summary>A registry login. ToString never shows the password.</summary>
public sealed record RegistryCredentials(string User, string Password)
{
    public string Basic => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}"));

    public override string ToString() => $"{User}:***";

    /// <summary>
    /// The login the Docker config file holds for <paramref name="registry"/> (DOCKER_CONFIG or ~/.docker/config.json):
    /// an 'auths' entry, or the credential helper named in 'credHelpers' / 'credsStore'. Null when there is none.
    /// </summary>
    public static RegistryCredentials? FromDockerConfig(string registry)
    {
        string dir = Environment.GetEnvironmentVariable("DOCKER_CONFIG") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker");
        string file = Path.Combine(dir, "config.json");
        if (!File.Exists(file))
        {
            return null;
        }

        var config = JsonNode.Parse(File.ReadAllText(file)) as JsonObject;
        if (config?["auths"]?[registry]?["auth"]?.GetValue<string>() is { Length: > 0 } auth)
        {
            string pair = Encoding.UTF8.GetString(Convert.FromBase64String(auth));
            int colon = pair.IndexOf(':', StringComparison.Ordinal);
            return colon > 0 ? new RegistryCredentials(pair[..colon], pair[(colon + 1)..]) : null;
        }

        string? helper = config?["credHelpers"]?[registry]?.GetValue<string>() ?? config?["credsStore"]?.GetValue<string>();
        return helper is null ? null : FromHelper(helper, registry);
    }

    private static RegistryCredentials? FromHelper(string helper, string registry)
    {
        try
        {
            var start = new ProcessStartInfo($"docker-credential-{helper}", "get") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(start)!;
            process.StandardInput.Write(registry);
            process.StandardInput.Close();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            var answer = process.ExitCode == 0 ? JsonNode.Parse(output) : null;
            return answer?["Username"]?.GetValue<string>() is { } user && answer["Secret"]?.GetValue<string>() is { } secret ? new RegistryCredentials(user, secret) : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // the helper is not installed
        }
    }
}
