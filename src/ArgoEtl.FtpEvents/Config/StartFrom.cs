namespace ArgoEtl.FtpEvents.Config;

/// <summary>What to do with the files present when a watcher starts without a checkpoint.</summary>
internal enum StartFrom
{
    /// <summary>Files present at the first start are taken as already sent; only later arrivals and changes are sent.</summary>
    Now,

    /// <summary>Every file is sent, those present at the first start included.</summary>
    All,
}
