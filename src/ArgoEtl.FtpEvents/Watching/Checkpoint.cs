using System.Text.Json;
using System.Text.Json.Serialization;

namespace ArgoEtl.FtpEvents.Watching;

/// <summary>
/// The sent set of one watcher: path → (size, mtime) of the version last sent (or, with startFrom now, present at the
/// first start). Persisted as a snapshot file (written to a temp file, then renamed over the old one) plus an
/// append-only journal beside it (<c>&lt;checkpoint&gt;.journal</c>) that gets one line per send, so a send costs one
/// small append rather than rewriting the whole set; each poll folds the journal into a new snapshot. Loading replays
/// the journal over the snapshot; replaying a line twice is harmless, so a crash between the rename and the journal's
/// truncation loses nothing. Appends are flushed to the OS (they survive a killed process); they are not fsynced per
/// line, so a node losing power can forget the last few sends, which are then sent again (at-least-once).
/// </summary>
internal sealed class Checkpoint : IDisposable
{
    private readonly Dictionary<string, FileState> _sent = new(StringComparer.Ordinal);
    private readonly string? _path;
    private FileStream? _journal;
    private int _journalLines;

    private Checkpoint(string? path, bool existed)
    {
        _path = path;
        Existed = existed;
    }

    /// <summary>Whether a checkpoint was found at start (if not, startFrom applies).</summary>
    public bool Existed { get; }

    public int Count => _sent.Count;

    public IEnumerable<string> Paths => _sent.Keys;

    private string? JournalPath => _path is null ? null : _path + ".journal";

    /// <summary>Loads the checkpoint at <paramref name="path"/> (null: in memory only).</summary>
    public static Checkpoint Load(string? path)
    {
        if (path is null)
        {
            return new Checkpoint(null, existed: false);
        }

        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        bool existed = File.Exists(path) || File.Exists(path + ".journal");
        var checkpoint = new Checkpoint(path, existed);
        try
        {
            if (File.Exists(path))
            {
                var snapshot = JsonSerializer.Deserialize(File.ReadAllBytes(path), CheckpointJsonContext.Default.Snapshot);
                foreach (var (file, entry) in snapshot?.Files ?? [])
                {
                    checkpoint._sent[file] = new FileState(entry.Size, entry.Modified);
                }
            }

            if (File.Exists(checkpoint.JournalPath))
            {
                foreach (string line in File.ReadLines(checkpoint.JournalPath!))
                {
                    // A line cut short by a crash is the one send that was not recorded: skip it (it is sent again).
                    if (line.Length == 0 || !line.EndsWith('}'))
                    {
                        continue;
                    }

                    JournalLine? entry;
                    try
                    {
                        entry = JsonSerializer.Deserialize(line, CheckpointJsonContext.Default.JournalLine);
                    }
                    catch (JsonException)
                    {
                        continue;
                    }

                    if (entry is null)
                    {
                        continue;
                    }

                    if (entry.Removed)
                    {
                        checkpoint._sent.Remove(entry.Path);
                    }
                    else
                    {
                        checkpoint._sent[entry.Path] = new FileState(entry.Size, entry.Modified);
                    }
                }
            }
        }
        catch (JsonException ex)
        {
            throw new EtlException(EtlErrors.FtpEventsCheckpointCorrupt, $"The checkpoint '{path}' is not one this server wrote: {ex.Message}",
                "Move it away to start afresh (startFrom then applies), or point 'checkpoint' at another file.", path, ex);
        }

        return checkpoint;
    }

    public bool TryGet(string path, out FileState state) => _sent.TryGetValue(path, out state);

    /// <summary>Records that <paramref name="path"/> in <paramref name="state"/> was sent (or is to be taken as sent).</summary>
    public void MarkSent(string path, FileState state)
    {
        _sent[path] = state;
        Append(new JournalLine { Path = path, Size = state.Size, Modified = state.Modified });
    }

    /// <summary>Forgets a file that is gone from the server, so one uploaded again under that name is new.</summary>
    public void Forget(string path)
    {
        if (_sent.Remove(path))
        {
            Append(new JournalLine { Path = path, Removed = true });
        }
    }

    /// <summary>Folds the journal into a fresh snapshot when anything changed since the last one.</summary>
    public void Compact(bool force = false)
    {
        if (_path is null || (_journalLines == 0 && !force))
        {
            return;
        }

        var snapshot = new Snapshot { Version = 1, Files = _sent.ToDictionary(kv => kv.Key, kv => new SnapshotEntry { Size = kv.Value.Size, Modified = kv.Value.Modified }, StringComparer.Ordinal) };
        string temp = _path + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(file, snapshot, CheckpointJsonContext.Default.Snapshot);
            file.Flush(flushToDisk: true);
        }

        File.Move(temp, _path, overwrite: true);

        // The snapshot now holds every journal line; an interrupted truncation only means replaying them again.
        _journal?.Dispose();
        _journal = null;
        File.Delete(JournalPath!);
        _journalLines = 0;
    }

    private void Append(JournalLine line)
    {
        if (_path is null)
        {
            return;
        }

        _journal ??= new FileStream(JournalPath!, FileMode.Append, FileAccess.Write, FileShare.Read);
        byte[] bytes = JsonSerializer.SerializeToUtf8Bytes(line, CheckpointJsonContext.Default.JournalLine);
        _journal.Write(bytes);
        _journal.WriteByte((byte)'\n');
        _journal.Flush();
        _journalLines++;
    }

    public void Dispose() => _journal?.Dispose();

    internal sealed class Snapshot
    {
        [JsonPropertyName("version")]
        public int Version { get; set; }

        [JsonPropertyName("files")]
        public Dictionary<string, SnapshotEntry> Files { get; set; } = [];
    }

    internal sealed class SnapshotEntry
    {
        [JsonPropertyName("size")]
        public long Size { get; set; }

        [JsonPropertyName("modified")]
        public DateTimeOffset Modified { get; set; }
    }

    internal sealed class JournalLine
    {
        [JsonPropertyName("path")]
        public string Path { get; set; } = string.Empty;

        [JsonPropertyName("size")]
        public long Size { get; set; }

        [JsonPropertyName("modified")]
        public DateTimeOffset Modified { get; set; }

        [JsonPropertyName("removed")]
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
        public bool Removed { get; set; }
    }
}

[JsonSerializable(typeof(Checkpoint.Snapshot))]
[JsonSerializable(typeof(Checkpoint.JournalLine))]
internal sealed partial class CheckpointJsonContext : JsonSerializerContext;
