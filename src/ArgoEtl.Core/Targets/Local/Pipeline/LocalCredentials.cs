using System.Text;
using System.Text.Json.Nodes;
using ArgoEtl.Core.Targets.Local.Store;

namespace ArgoEtl.Core.Targets.Local.Pipeline;

/// <summary>
/// The object store's credentials, generated once per state folder and kept in secrets/ (owner-only), so files and
/// tools that hold them keep working across sessions. Never printed: ObjectStoreCredentials hides the secret.
/// </summary>
internal static class LocalCredentials
{
    public static ObjectStoreCredentials LoadOrCreate(string stateDirectory)
    {
        string folder = Path.Combine(stateDirectory, "secrets");
        string file = Path.Combine(folder, "object-store.json");
        if (File.Exists(file) && JsonNode.Parse(File.ReadAllText(file)) is JsonObject saved
            && (string?)saved["accessKeyId"] is { Length: > 0 } id && (string?)saved["secretAccessKey"] is { Length: > 0 } secret)
        {
            return new ObjectStoreCredentials(id, secret);
        }

        var created = ObjectStoreCredentials.Generate();
        Directory.CreateDirectory(folder);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        string temp = file + ".tmp";
        File.WriteAllText(temp, new JsonObject { ["accessKeyId"] = created.AccessKeyId, ["secretAccessKey"] = created.SecretAccessKey }.ToJsonString(), new UTF8Encoding(false));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temp, file, overwrite: true);
        return created;
    }
}
