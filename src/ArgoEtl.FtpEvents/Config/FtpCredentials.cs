namespace ArgoEtl.FtpEvents.Config;

/// <summary>
/// The FTP login, from the event server's environment: <c>FTP_USER</c> / <c>FTP_PASSWORD</c>, or files named by
/// <c>FTP_USER_FILE</c> / <c>FTP_PASSWORD_FILE</c> (a mounted Secret; read at each connect, so a rotated Secret is
/// picked up). Neither set means anonymous. The password is never printed: <see cref="ToString"/> leaves it out.
/// </summary>
internal sealed class FtpCredentials
{
    private FtpCredentials(string user, string password)
    {
        User = user;
        Password = password;
    }

    public string User { get; }

    public string Password { get; }

    public static FtpCredentials FromEnvironment()
    {
        string? user = Read("FTP_USER");
        if (string.IsNullOrEmpty(user))
        {
            return new FtpCredentials("anonymous", "argoetl@");
        }

        return new FtpCredentials(user, Read("FTP_PASSWORD") ?? string.Empty);
    }

    private static string? Read(string name)
    {
        if (Environment.GetEnvironmentVariable(name + "_FILE") is { Length: > 0 } file)
        {
            try
            {
                // Secret files often end with a newline that is not part of the value.
                return File.ReadAllText(file).TrimEnd('\r', '\n');
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new EtlException(EtlErrors.FtpCredentialsUnreadable, $"{name}_FILE names '{file}', which cannot be read: {ex.Message}", "Mount the Secret there, or set " + name + " instead.", file, ex);
            }
        }

        return Environment.GetEnvironmentVariable(name);
    }

    public override string ToString() => User;
}
