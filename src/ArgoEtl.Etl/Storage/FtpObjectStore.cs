using System.Net;

namespace ArgoEtl.Etl.Storage;

/// <summary>
/// FTP through the framework's FtpWebRequest (passive, binary). FluentFTP is not available to this project, and the
/// few operations needed (RETR, STOR, RNFR/RNTO, DELE) are ones FtpWebRequest does correctly. Credentials come from the
/// URI or from ARGOETL_FTP_USER / ARGOETL_FTP_PASSWORD, else anonymous; they are never printed.
/// Transient failures (connection refused or reset, 421/425/426/450/451) are retried with backoff.
/// </summary>
#pragma warning disable SYSLIB0014 // FtpWebRequest is obsolete for new protocols work, but it is the maintained FTP client in the BCL.
public sealed class FtpObjectStore : IObjectStore
{
    private const int Attempts = 4;

    public async Task<(Stream Content, long? Length)> OpenReadAsync(ObjectLocation location, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(location);
        var response = await WithRetryAsync(location, async () =>
        {
            var request = CreateRequest(location, WebRequestMethods.Ftp.DownloadFile);
            return (FtpWebResponse)await request.GetResponseAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return (new ResponseOwningStream(response.GetResponseStream(), response), response.ContentLength >= 0 ? response.ContentLength : null);
    }

    public async Task PublishAsync(string localFile, ObjectLocation destination, string contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);

        // Upload under a temporary name and rename, so a watcher on the directory never picks up a partial file.
        var partial = destination.WithPath(destination.Path + ".partial");
        await WithRetryAsync(partial, async () =>
        {
            var request = CreateRequest(partial, WebRequestMethods.Ftp.UploadFile);
            await using (var body = await request.GetRequestStreamAsync().WaitAsync(cancellationToken).ConfigureAwait(false))
            await using (var file = File.OpenRead(localFile))
            {
                await file.CopyToAsync(body, cancellationToken).ConfigureAwait(false);
            }

            using var done = (FtpWebResponse)await request.GetResponseAsync().ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);

        try
        {
            await WithRetryAsync(partial, async () =>
            {
                var rename = CreateRequest(partial, WebRequestMethods.Ftp.Rename);
                rename.RenameTo = Path.GetFileName(destination.Path);
                using var done = (FtpWebResponse)await rename.GetResponseAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
                return true;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await TryDeleteAsync(partial).ConfigureAwait(false);
            throw;
        }
    }

    private static FtpWebRequest CreateRequest(ObjectLocation location, string method)
    {
        var uri = location.FtpUri ?? throw new ArgumentException("Not an FTP location.", nameof(location));
        var request = (FtpWebRequest)WebRequest.Create(new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty }.Uri);
        request.Method = method;
        request.UsePassive = true;
        request.UseBinary = true;
        request.KeepAlive = false;
        request.Timeout = 30_000;
        request.Credentials = Credentials(uri);
        return request;
    }

    private static NetworkCredential Credentials(Uri uri)
    {
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            return new NetworkCredential(Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : string.Empty);
        }

        string? user = Environment.GetEnvironmentVariable("ARGOETL_FTP_USER");
        return user is { Length: > 0 }
            ? new NetworkCredential(user, Environment.GetEnvironmentVariable("ARGOETL_FTP_PASSWORD") ?? string.Empty)
            : new NetworkCredential("anonymous", "argoetl@");
    }

    private static async Task<T> WithRetryAsync<T>(ObjectLocation location, Func<Task<T>> action, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await action().ConfigureAwait(false);
            }
            catch (WebException ex) when (attempt < Attempts && IsTransient(ex))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 * Math.Pow(2, attempt - 1)), cancellationToken).ConfigureAwait(false);
            }
            catch (WebException ex)
            {
                throw Translate(ex, location);
            }
        }
    }

    private static bool IsTransient(WebException ex) => ex.Status is WebExceptionStatus.ConnectFailure or WebExceptionStatus.ConnectionClosed
        or WebExceptionStatus.ReceiveFailure or WebExceptionStatus.SendFailure or WebExceptionStatus.Timeout
        || (ex.Response is FtpWebResponse r && r.StatusCode is FtpStatusCode.ServiceNotAvailable or FtpStatusCode.CantOpenData
            or FtpStatusCode.ConnectionClosed or FtpStatusCode.ActionNotTakenFileUnavailableOrBusy or FtpStatusCode.ActionAbortedLocalProcessingError);

    private static EtlException Translate(WebException ex, ObjectLocation location)
    {
        var status = (ex.Response as FtpWebResponse)?.StatusCode;
        return status switch
        {
            FtpStatusCode.ActionNotTakenFileUnavailable => new EtlException(EtlErrors.FtpFileNotFound, $"'{location}' does not exist on the FTP server (or may not be written there).", "Check the path and the directory's permissions.", location.ToString(), ex),
            FtpStatusCode.NotLoggedIn => new EtlException(EtlErrors.FtpLoginFailed, $"The FTP server at {location.Container} refused the login.", "Set ARGOETL_FTP_USER and ARGOETL_FTP_PASSWORD (or put them in the URI).", location.ToString(), ex),
            null or FtpStatusCode.Undefined when ex.Status is WebExceptionStatus.ConnectFailure or WebExceptionStatus.NameResolutionFailure or WebExceptionStatus.Timeout
                => new EtlException(EtlErrors.FtpUnreachable, $"The FTP server at {location.Container} could not be reached for '{location}': {(ex.Status == WebExceptionStatus.NameResolutionFailure ? "its host name could not be resolved" : ex.Status == WebExceptionStatus.Timeout ? "the connection timed out" : "the connection was refused or failed")}.",
                    "Check the host and port in the FTP URL and that the server is running; the request was retried before giving up.", location.ToString(), ex),
            null or FtpStatusCode.Undefined => new EtlException(EtlErrors.FtpRequestFailed, $"FTP request for '{location}' failed: {ex.Status}.",
                "Check that the server is reachable and in passive mode; the request was retried before giving up.", location.ToString(), ex),
            _ => new EtlException(EtlErrors.FtpRequestFailed, $"FTP request for '{location}' failed: {(status?.ToString() ?? ex.Status.ToString())}.",
                "Check that the server is reachable and in passive mode; the request was retried before giving up.", location.ToString(), ex),
        };
    }

    private static async Task TryDeleteAsync(ObjectLocation location)
    {
        try
        {
            using var response = (FtpWebResponse)await CreateRequest(location, WebRequestMethods.Ftp.DeleteFile).GetResponseAsync().ConfigureAwait(false);
        }
        catch (WebException)
        {
            // Best effort: the partial upload is already invisible under its temporary name.
        }
    }

    /// <summary>
    /// Disposes the FTP response (closing the control connection) together with the data stream. FtpDataStream closes
    /// itself at end of data and throws on a further read, so end of data is remembered here and answered with 0.
    /// </summary>
    private sealed class ResponseOwningStream(Stream inner, IDisposable owner) : ForwardReadStream
    {
        private bool _ended;

        public override int Read(Span<byte> buffer)
        {
            if (_ended || buffer.IsEmpty)
            {
                return 0;
            }

            int n = inner.Read(buffer);
            _ended = n == 0;
            return n;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                owner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
#pragma warning restore SYSLIB0014
