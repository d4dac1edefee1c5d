using System.Diagnostics;
using System.Globalization;

namespace ArgoEtl.Testing;

/// <summary>
/// vsftpd in passive mode on loopback ports. By default anonymous: the FTP root is read-only and
/// <see cref="UploadDirectory"/> (/upload) is writable (upload, mkdir, rename, delete). With a user, anonymous login is
/// refused and that local account (created if missing, given a fresh password) is chrooted to the same root.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class Vsftpd : RunningProcess
{
    public const string UploadDirectory = "/upload";

    internal Vsftpd()
        : base("vsftpd", (dir, port) => Start(dir, port, null), TimeSpan.FromSeconds(15))
    {
    }

    internal Vsftpd(string user, string password, int passivePorts = 1)
        : base("vsftpd", (dir, port) => Start(dir, port, (user, password), passivePorts), TimeSpan.FromSeconds(15))
    {
        User = user;
        Password = password;
    }

    /// <summary>The account to log in with, or null for anonymous access.</summary>
    public string? User { get; }

    public string? Password { get; }

    /// <summary>The server's root on disk (files here are what FTP clients see under /).</summary>
    public string RootDirectory => Path.Combine(WorkDirectory, "root");

    public string Url => $"ftp://127.0.0.1:{Port}";

    private static ProcessStartInfo Start(string dir, int port, (string Name, string Password)? user, int passivePorts = 1)
    {
        // One passive port unless asked for more: vsftpd refuses PASV in a session while another holds the only one,
        // so clients that list and download at once (a watcher and a pipeline step) need a range.
        int passivePort = passivePorts == 1 ? FreePort() : RunningProcess.FreePortRange(passivePorts);
        string root = Path.Combine(dir, "root");
        string upload = Path.Combine(root, "upload");
        string empty = Path.Combine(dir, "empty");
        Directory.CreateDirectory(upload);
        Directory.CreateDirectory(empty);

        // vsftpd refuses a writable anonymous root, and anonymous users write as 'ftp'.
        File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        File.SetUnixFileMode(dir, File.GetUnixFileMode(root));
        File.SetUnixFileMode(upload, (UnixFileMode)Convert.ToInt32("777", 8));
        Chown(upload, "ftp");
        if (user is { } account)
        {
            EnsureAccount(account.Name, account.Password, root);
            Chown(upload, account.Name);
        }

        string config = Path.Combine(dir, "vsftpd.conf");
        File.WriteAllText(config, string.Create(CultureInfo.InvariantCulture, $"""
            listen=YES
            listen_ipv6=NO
            listen_address=127.0.0.1
            listen_port={port}
            background=NO
            seccomp_sandbox=NO
            secure_chroot_dir={empty}
            {(user is null ? "anonymous_enable=YES\nlocal_enable=NO" : $"anonymous_enable=NO\nlocal_enable=YES\nchroot_local_user=YES\nallow_writeable_chroot=YES\nlocal_root={root}\npam_service_name=vsftpd\nlocal_umask=022")}
            no_anon_password=YES
            anon_root={root}
            write_enable=YES
            anon_upload_enable=YES
            anon_mkdir_write_enable=YES
            anon_other_write_enable=YES
            anon_umask=022
            pasv_enable=YES
            pasv_address=127.0.0.1
            pasv_min_port={passivePort}
            pasv_max_port={passivePort + passivePorts - 1}
            xferlog_enable=NO
            vsftpd_log_file={Path.Combine(dir, "xfer.log")}
            """));
        File.SetUnixFileMode(config, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        // vsftpd reports start-up errors on fd 0, hence a shell that points it at stderr.
        var start = new ProcessStartInfo("/bin/sh");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"exec /usr/sbin/vsftpd '{config}' 0>&2");
        return start;
    }

    // A local account for password logins: vsftpd authenticates through PAM, which wants a real user with a shell
    // listed in /etc/shells. The password is new on every start.
    private static void EnsureAccount(string name, string password, string home)
    {
        // The home folder is this server's root; an account left by an earlier run points at a folder that is gone.
        if (Run("id", name) != 0)
        {
            Run("useradd", "--no-create-home", "--home-dir", home, "--shell", "/bin/sh", name);
        }
        else
        {
            Run("usermod", "--home", home, name);
        }

        using var chpasswd = Process.Start(new ProcessStartInfo("chpasswd") { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardError = true })!;
        chpasswd.StandardInput.WriteLine($"{name}:{password}");
        chpasswd.StandardInput.Close();
        chpasswd.WaitForExit();
        if (chpasswd.ExitCode != 0)
        {
            throw new InvalidOperationException($"chpasswd failed for {name}: {chpasswd.StandardError.ReadToEnd()}");
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);

        // Per-server accounts (aeftp...) go with their server; a name the caller chose is left as it is.
        if (User is { } user && user.StartsWith("aeftp", StringComparison.Ordinal))
        {
            Run("userdel", user);
        }
    }

    private static int Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var p = Process.Start(start)!;
        p.WaitForExit();
        return p.ExitCode;
    }

    private static void Chown(string path, string user)
    {
        using var p = Process.Start(new ProcessStartInfo("chown", $"{user} \"{path}\"") { UseShellExecute = false, RedirectStandardError = true })!;
        p.WaitForExit();
    }
}
