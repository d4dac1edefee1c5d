using System.Text.Json;

namespace ArgoEtl.Tests.FtpEvents;

/// <summary>One event as a client received it: the event name and the payload's fields.</summary>
public sealed record ReceivedEvent(string Name, string File, string Path, long Size, string Modified, string Kind, string Server, string RawPayload)
{
    public static ReceivedEvent FromPayload(string name, string json)
    {
        using var doc = JsonDocument.Parse(json);
        var r = doc.RootElement;
        return new ReceivedEvent(name, r.GetProperty("name").GetString()!, r.GetProperty("path").GetString()!, r.GetProperty("size").GetInt64(),
            r.GetProperty("modified").GetString()!, r.GetProperty("event").GetString()!, r.GetProperty("server").GetString()!, json);
    }
}
