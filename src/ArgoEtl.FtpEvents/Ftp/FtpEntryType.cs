namespace ArgoEtl.FtpEvents.Ftp;

/// <summary>What a listing entry is. Links and devices are <see cref="Other"/>: the watcher neither sends nor descends into them.</summary>
internal enum FtpEntryType
{
    File,
    Directory,
    Other,
}
