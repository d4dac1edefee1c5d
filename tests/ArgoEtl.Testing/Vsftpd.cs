using System.Diagnostics;
using System.Globalization;

namespace ArgoEtl.Testing;

/// <summary>
/// vsftpd with anonymous access: the FTP root is read-only and <see cref="UploadDirectory"/> (/upload) is writable
/// (upload, mkdir, rename, delete), in passive mode on loopback ports.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class Vsftpd : RunningProcess
{
    public const string UploadDirectory = "/upload";

    internal Vsftpd()
        : base("vsftpd", Start, TimeSpan.FromSeconds(15))
    {
    }

    /// <summary>The server's root on disk (files here are what FTP clients see under /).</summary>
    public string RootDirectory => Path.Combine(WorkDirectory, "root");

    public string Url => $"ftp://127.0.0.1:{Port}";

    private static ProcessStartInfo Start(string dir, int port)
    {
        int passivePort = FreePort();
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

        string config = Path.Combine(dir, "vsftpd.conf");
        File.WriteAllText(config, string.Create(CultureInfo.InvariantCulture, $"""
            listen=YES
            listen_ipv6=NO
            listen_address=127.0.0.1
            listen_port={port}
            background=NO
            seccomp_sandbox=NO
            secure_chroot_dir={empty}
            anonymous_enable=YES
            local_enable=NO
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
            pasv_max_port={passivePort}
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

    private static void Chown(string path, string user)
    {
        using var p = Process.Start(new ProcessStartInfo("chown", $"{user} \"{path}\"") { UseShellExecute = false, RedirectStandardError = true })!;
        p.WaitForExit();
    }
}
