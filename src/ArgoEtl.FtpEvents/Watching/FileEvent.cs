using System.Text.Json;
using System.Text.Json.Serialization;

namespace ArgoEtl.FtpEvents.Watching;

/// <summary>
/// One event's payload, as Argo receives it (with <c>jsonBody: true</c> it becomes the event's body). <c>name</c> is
/// the path relative to the watched folder, so argoetl-etl's <c>--ftp-url ftp://host/dir</c> resolves it; <c>path</c>
/// is absolute on the server; <c>server</c> is ftp://host[:port] without credentials.
/// </summary>
internal sealed record FileEvent(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("modified")] string Modified,
    [property: JsonPropertyName("event")] string Event,
    [property: JsonPropertyName("server")] string Server)
{
    public const string Created = "created";
    public const string ModifiedEvent = "modified";

    public static FileEvent For(string relativePath, string absolutePath, FileState state, bool modified, string server) =>
        new(relativePath, absolutePath, state.Size, state.Modified.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", System.Globalization.CultureInfo.InvariantCulture),
            modified ? ModifiedEvent : Created, server);

    public byte[] ToJsonBytes() => JsonSerializer.SerializeToUtf8Bytes(this, FileEventJsonContext.Default.FileEvent);
}

[JsonSerializable(typeof(FileEvent))]
internal sealed partial class FileEventJsonContext : JsonSerializerContext;
