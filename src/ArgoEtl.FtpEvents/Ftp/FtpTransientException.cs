namespace ArgoEtl.FtpEvents.Ftp;

/// <summary>
/// The FTP server could not be reached or dropped the connection: the watcher reconnects with backoff. Internal to
/// the watcher (it never leaves this assembly); anything a user must act on is an <see cref="EtlException"/>.
/// </summary>
internal sealed class FtpTransientException : Exception
{
    public FtpTransientException() { }

    public FtpTransientException(string message) : base(message) { }

    public FtpTransientException(string message, Exception inner) : base(message, inner) { }
}
