using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace ArgoEtl.FtpEvents.Ftp;

/// <summary>
/// A small FTP client (RFC 959, 2389, 2428, 3659) for what watching needs: log in, binary type, passive data
/// connections (EPSV, else PASV), and listings (MLSD; else NLST with SIZE/MDTM; else LIST parsed by grammar).
/// One connection serves one watcher at a time; it is not thread-safe. The password is sent and then forgotten: it is
/// never part of a message, a log line or an exception.
/// </summary>
internal sealed partial class FtpConnection : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);
    private readonly TcpClient _control;
    private readonly StreamReader _reader;
    private readonly Stream _stream;
    private readonly IPAddress _remoteAddress;

    private FtpConnection(TcpClient control, string server)
    {
        _control = control;
        _stream = control.GetStream();
        _reader = new StreamReader(_stream, new UTF8Encoding(false), false, 4096, leaveOpen: true);
        _remoteAddress = ((IPEndPoint)control.Client.RemoteEndPoint!).Address;
        Server = server;
    }

    /// <summary>host:port, for messages.</summary>
    public string Server { get; }

    public FtpFeatures Features { get; private set; } = FtpFeatures.None;

    /// <summary>The listing method in use: the configured one, or for <see cref="ListingMethod.Auto"/> the best the server offers.</summary>
    public ListingMethod Listing { get; private set; }

    /// <summary>Names <see cref="Listing"/> for the log.</summary>
    public string ListingName => Listing switch
    {
        ListingMethod.Mlsd => "mlsd",
        ListingMethod.Nlst => "nlst+size+mdtm",
        _ => "list",
    };

    /// <summary>Connects, logs in, reads the features and switches to binary type.</summary>
    /// <exception cref="EtlException">FtpLoginFailed when the server refuses the login (not worth retrying).</exception>
    /// <exception cref="FtpTransientException">When the server cannot be reached or drops the connection.</exception>
    public static async Task<FtpConnection> OpenAsync(string host, int port, string user, string password, ListingMethod listing, CancellationToken cancellationToken)
    {
        string server = string.Create(CultureInfo.InvariantCulture, $"{host}:{port}");
        var tcp = new TcpClient { NoDelay = true };
        FtpConnection? connection = null;
        try
        {
            using (var timeout = Timeout(cancellationToken))
            {
                await tcp.ConnectAsync(host, port, timeout.Token).ConfigureAwait(false);
            }

            connection = new FtpConnection(tcp, server);
            var greeting = await connection.ReadReplyAsync(cancellationToken).ConfigureAwait(false);
            if (greeting.Code != 220)
            {
                throw new FtpTransientException($"The FTP server at {server} did not greet (reply {greeting}).");
            }

            await connection.LoginAsync(user, password, cancellationToken).ConfigureAwait(false);
            var feat = await connection.CommandAsync("FEAT", cancellationToken).ConfigureAwait(false);
            connection.Features = feat.Code == 211 ? FtpFeatures.Parse(feat.Lines.Skip(1).SkipLast(1)) : FtpFeatures.None;
            if (connection.Features.Utf8)
            {
                await connection.CommandAsync("OPTS UTF8 ON", cancellationToken).ConfigureAwait(false);
            }

            await connection.ExpectAsync("TYPE I", cancellationToken).ConfigureAwait(false);
            var features = connection.Features;
            connection.Listing = listing != ListingMethod.Auto ? listing
                : features.Mlsd ? ListingMethod.Mlsd : features.Mdtm && features.Size ? ListingMethod.Nlst : ListingMethod.List;
            return connection;
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            await DisposeQuietly(connection, tcp).ConfigureAwait(false);
            throw new FtpTransientException($"Cannot reach the FTP server at {server}: {ex.Message}", ex);
        }
        catch
        {
            await DisposeQuietly(connection, tcp).ConfigureAwait(false);
            throw;
        }
    }

    private static async Task DisposeQuietly(FtpConnection? connection, TcpClient tcp)
    {
        if (connection is not null)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            tcp.Dispose();
        }
    }

    private async Task LoginAsync(string user, string password, CancellationToken cancellationToken)
    {
        var reply = await CommandAsync("USER " + user, cancellationToken).ConfigureAwait(false);
        if (reply.Code == 331)
        {
            reply = await CommandAsync("PASS " + password, cancellationToken, sensitive: true).ConfigureAwait(false);
        }

        if (reply.Code is 230 or 202)
        {
            return;
        }

        if (reply.Code is 530 or 331 or 332)
        {
            throw new EtlException(EtlErrors.FtpLoginFailed, $"The FTP server at {Server} refused the login as '{user}' (reply {reply.Code}).",
                "Check FTP_USER and FTP_PASSWORD (or the files FTP_USER_FILE / FTP_PASSWORD_FILE name) against the server's account.", Server);
        }

        throw new FtpTransientException($"The FTP server at {Server} answered the login with {reply.Code}.");
    }

    /// <summary>Lists one folder: entries with type, size and modification time as exactly as the server can tell.</summary>
    /// <returns>null when the folder does not exist (550), so a folder removed between polls is not an error.</returns>
    public async Task<IReadOnlyList<FtpEntry>?> ListAsync(string folder, Action<string> reportUnparsed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reportUnparsed);
        if (Listing == ListingMethod.Mlsd)
        {
            var lines = await ReadDataLinesAsync("MLSD " + folder, cancellationToken).ConfigureAwait(false);
            return lines?.Select(MlsdParser.ParseLine).OfType<FtpEntry>().ToList();
        }

        if (Listing == ListingMethod.Nlst)
        {
            return await ListWithNlstAsync(folder, cancellationToken).ConfigureAwait(false);
        }

        var listLines = await ReadDataLinesAsync("LIST " + folder, cancellationToken).ConfigureAwait(false);
        if (listLines is null)
        {
            return null;
        }

        var now = DateTimeOffset.UtcNow;
        var entries = new List<FtpEntry>();
        foreach (string line in listLines)
        {
            if (ListLineParser.IsNoise(line))
            {
                continue;
            }

            if (ListLineParser.ParseLine(line, now) is { } entry)
            {
                entries.Add(entry);
            }
            else
            {
                reportUnparsed(line);
            }
        }

        return entries;
    }

    // NLST names the entries; SIZE answers only for files (RFC 3659 §4: a folder gets 550), MDTM gives the exact time.
    private async Task<IReadOnlyList<FtpEntry>?> ListWithNlstAsync(string folder, CancellationToken cancellationToken)
    {
        var names = await ReadDataLinesAsync("NLST " + folder, cancellationToken).ConfigureAwait(false);
        if (names is null)
        {
            return null;
        }

        var entries = new List<FtpEntry>(names.Count);
        foreach (string listed in names)
        {
            // Servers answer NLST with bare names or with the path given; keep the last segment either way.
            string name = listed.TrimEnd('/');
            name = name[(name.LastIndexOf('/') + 1)..];
            if (name.Length == 0 || name is "." or "..")
            {
                continue;
            }

            string path = folder.TrimEnd('/') + "/" + name;
            var size = await CommandAsync("SIZE " + path, cancellationToken).ConfigureAwait(false);
            if (size.Code != 213)
            {
                // Not a plain file: a folder (or something unreadable, which then lists as empty or missing).
                entries.Add(new FtpEntry(name, FtpEntryType.Directory, null, null));
                continue;
            }

            var mdtm = await CommandAsync("MDTM " + path, cancellationToken).ConfigureAwait(false);
            entries.Add(new FtpEntry(name, FtpEntryType.File,
                long.TryParse(size.Message.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? n : null,
                mdtm.Code == 213 ? MlsdParser.ParseTimeVal(mdtm.Message) : null));
        }

        return entries;
    }

    private async Task<List<string>?> ReadDataLinesAsync(string command, CancellationToken cancellationToken)
    {
        using var data = await OpenPassiveDataAsync(cancellationToken).ConfigureAwait(false);
        var reply = await CommandAsync(command, cancellationToken).ConfigureAwait(false);
        if (reply.Code == 550)
        {
            return null;
        }

        if (reply.Code == 450 && command.StartsWith("NLST", StringComparison.Ordinal))
        {
            // Some servers answer NLST of an empty folder with 450 "no files found".
            return [];
        }

        if (!reply.IsPositivePreliminary)
        {
            throw Unexpected(command, reply);
        }

        var lines = new List<string>();
        using (var timeout = Timeout(cancellationToken))
        await using (var stream = data.GetStream())
        {
            using var reader = new StreamReader(stream, new UTF8Encoding(false));
            while (await reader.ReadLineAsync(timeout.Token).ConfigureAwait(false) is { } line)
            {
                if (line.Length > 0)
                {
                    lines.Add(line);
                }
            }
        }

        var done = await ReadReplyAsync(cancellationToken).ConfigureAwait(false);
        if (!done.IsPositiveCompletion)
        {
            throw Unexpected(command, done);
        }

        return lines;
    }

    private async Task<TcpClient> OpenPassiveDataAsync(CancellationToken cancellationToken)
    {
        int port;
        IPAddress address = _remoteAddress;
        var epsv = Features.Epsv ? await CommandAsync("EPSV", cancellationToken).ConfigureAwait(false) : null;
        if (epsv is { Code: 229 } && EpsvReply().Match(epsv.Message) is { Success: true } e)
        {
            port = int.Parse(e.Groups[2].Value, CultureInfo.InvariantCulture);
        }
        else
        {
            var pasv = await CommandAsync("PASV", cancellationToken).ConfigureAwait(false);
            var m = PasvReply().Match(pasv.Message);
            if (pasv.Code != 227 || !m.Success)
            {
                throw Unexpected("PASV", pasv);
            }

            // The address in a PASV reply is often a private one behind NAT: like most clients, connect to the
            // address of the control connection and take only the port from the reply.
            port = (int.Parse(m.Groups[5].Value, CultureInfo.InvariantCulture) * 256) + int.Parse(m.Groups[6].Value, CultureInfo.InvariantCulture);
        }

        var data = new TcpClient { NoDelay = true };
        try
        {
            using var timeout = Timeout(cancellationToken);
            await data.ConnectAsync(address, port, timeout.Token).ConfigureAwait(false);
            return data;
        }
        catch
        {
            data.Dispose();
            throw;
        }
    }

    private async Task ExpectAsync(string command, CancellationToken cancellationToken)
    {
        var reply = await CommandAsync(command, cancellationToken).ConfigureAwait(false);
        if (!reply.IsPositiveCompletion)
        {
            throw Unexpected(command, reply);
        }
    }

    private Exception Unexpected(string command, FtpReply reply)
    {
        string verb = command.Split(' ', 2)[0];
        return reply.IsTransientNegative || reply.Code == 0
            ? new FtpTransientException($"The FTP server at {Server} answered {verb} with {reply}.")
            : new EtlException(EtlErrors.FtpCommandFailed, $"The FTP server at {Server} answered {verb} with {reply}.",
                "Check the folder's path and permissions on the FTP server.", Server);
    }

    private async Task<FtpReply> CommandAsync(string command, CancellationToken cancellationToken, bool sensitive = false)
    {
        _ = sensitive; // The command text is never logged or put in an exception; the flag documents where it matters.
        byte[] bytes = Encoding.UTF8.GetBytes(command + "\r\n");
        using (var timeout = Timeout(cancellationToken))
        {
            await _stream.WriteAsync(bytes, timeout.Token).ConfigureAwait(false);
        }

        return await ReadReplyAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<FtpReply> ReadReplyAsync(CancellationToken cancellationToken)
    {
        using var timeout = Timeout(cancellationToken);
        string first = await _reader.ReadLineAsync(timeout.Token).ConfigureAwait(false)
            ?? throw new FtpTransientException($"The FTP server at {Server} closed the control connection.");
        if (first.Length < 3 || !int.TryParse(first.AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture, out int code))
        {
            throw new FtpTransientException($"The FTP server at {Server} sent a reply that is not FTP.");
        }

        var lines = new List<string> { first.Length > 4 ? first[4..] : string.Empty };
        if (first.Length > 3 && first[3] == '-')
        {
            // A multi-line reply ends with a line starting with the same code and a space (RFC 959 §4.2).
            string end = first[..3] + " ";
            while (true)
            {
                string line = await _reader.ReadLineAsync(timeout.Token).ConfigureAwait(false)
                    ?? throw new FtpTransientException($"The FTP server at {Server} closed the control connection.");
                if (line.StartsWith(end, StringComparison.Ordinal))
                {
                    lines.Add(line[4..]);
                    break;
                }

                lines.Add(line);
            }
        }

        if (code == 421)
        {
            throw new FtpTransientException($"The FTP server at {Server} is closing the connection (421).");
        }

        return new FtpReply(code, lines);
    }

    private static CancellationTokenSource Timeout(CancellationToken cancellationToken)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(CommandTimeout);
        return cts;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_control.Connected)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _stream.WriteAsync("QUIT\r\n"u8.ToArray(), cts.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The server is gone already; nothing to say goodbye to.
        }

        _reader.Dispose();
        _control.Dispose();
    }

    // "227 Entering Passive Mode (h1,h2,h3,h4,p1,p2)" - the parentheses are customary, not required.
    [GeneratedRegex(@"(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3})", RegexOptions.CultureInvariant)]
    private static partial Regex PasvReply();

    // "229 Entering Extended Passive Mode (|||port|)" - RFC 2428 §3; the delimiter may be any printable character.
    [GeneratedRegex(@"\((.)\1\1(\d+)\1\)", RegexOptions.CultureInvariant)]
    private static partial Regex EpsvReply();
}
