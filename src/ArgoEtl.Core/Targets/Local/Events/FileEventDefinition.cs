namespace ArgoEtl.Core.Targets.Local.Events;

/// <summary>
/// A <c>spec.file</c> event: a watched folder (not its subfolders), firing for one fsnotify operation on the entries
/// that match <see cref="Path"/> or <see cref="PathRegexp"/>.
/// </summary>
/// <param name="EventType">CREATE, WRITE, REMOVE, RENAME or CHMOD.</param>
/// <param name="Directory">As written; a relative folder is resolved against the base the running source is given.</param>
/// <param name="Path">An exact path relative to the directory (upstream trims the directory text from the event's name).</param>
public sealed record FileEventDefinition(
    string EventSourceName,
    string EventName,
    IReadOnlyDictionary<string, string> Metadata,
    string Where,
    string EventType,
    string Directory,
    string? Path,
    string? PathRegexp,
    bool Polling) : EventSourceDefinition(EventSourceName, EventName, Metadata, Where)
{
    public override string Type => "file";
}
