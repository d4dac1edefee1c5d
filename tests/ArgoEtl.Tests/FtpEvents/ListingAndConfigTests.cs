extern alias ftpevents;
using System.Text;
using ftpevents::ArgoEtl.FtpEvents.Config;
using ftpevents::ArgoEtl.FtpEvents.Ftp;
using ftpevents::ArgoEtl.FtpEvents.Watching;

namespace ArgoEtl.Tests.FtpEvents;

/// <summary>
/// The listing grammars (MLSD facts, Unix and DOS LIST lines), durations, globs, the config reader and the checkpoint.
/// vsftpd answers neither MLSD nor DOS LIST, so these formats are checked on lines as servers that do print them.
/// </summary>
public sealed class ListingAndConfigTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void MLSD_lines_give_type_size_and_UTC_modify_and_names_with_spaces()
    {
        var file = MlsdParser.ParseLine("Type=file;Size=1830;Modify=20261130215959.123;Perm=r; my scores; v2.csv")!;
        Assert.Equal(("my scores; v2.csv", FtpEntryType.File, 1830L), (file.Name, file.Type, file.Size!.Value));
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 21, 59, 59, 123, TimeSpan.Zero), file.Modified);
        Assert.Equal(FtpEntryType.Directory, MlsdParser.ParseLine("type=dir;modify=20260101000000; sub")!.Type);
        Assert.Null(MlsdParser.ParseLine("type=cdir;modify=20260101000000; ."));
        Assert.Null(MlsdParser.ParseLine("type=pdir;modify=20260101000000; .."));
        Assert.Equal(FtpEntryType.Other, MlsdParser.ParseLine("type=OS.unix=slink:/x;modify=20260101000000; link")!.Type);
        Assert.Null(MlsdParser.ParseLine("garbage-without-space"));
    }

    [Theory]
    [InlineData("-rw-r--r--    1 1000     1000         4242 Nov 30 21:59 scores.csv", "scores.csv", "File", 4242L, "2026-11-30T21:59:00")]
    [InlineData("-rw-r--r--    1 ftp      ftp            12 Dec 31  2024 old file.csv", "old file.csv", "File", 12L, "2024-12-31T00:00:00")]
    [InlineData("-rw-r--r--    1 ftp      ftp            12 Dec 24 10:00 last-year.csv", "last-year.csv", "File", 12L, "2025-12-24T10:00:00")]
    [InlineData("drwxr-xr-x    2 0        0            4096 Jan 02 03:04 in", "in", "Directory", null, "2026-01-02T03:04:00")]
    [InlineData("lrwxrwxrwx    1 0        0               7 Jan 02 03:04 latest -> in/a.csv", "latest", "Other", null, "2026-01-02T03:04:00")]
    [InlineData("-rw-r--r--+   1 owner           99 Feb 28 23:59 no-group.csv", "no-group.csv", "File", 99L, "2026-02-28T23:59:00")]
    [InlineData("11-30-26  09:59PM                 4242 scores.csv", "scores.csv", "File", 4242L, "2026-11-30T21:59:00")]
    [InlineData("01-02-2026  03:04              <DIR>          in dir", "in dir", "Directory", null, "2026-01-02T03:04:00")]
    public void LIST_lines_are_read_by_the_Unix_or_DOS_grammar(string line, string name, string type, long? size, string modified)
    {
        var entry = ListLineParser.ParseLine(line, Now)!;
        Assert.Equal((name, type, size), (entry.Name, entry.Type.ToString(), entry.Size));
        Assert.Equal(DateTimeOffset.Parse(modified + "Z", System.Globalization.CultureInfo.InvariantCulture), entry.Modified);
    }

    [Theory]
    [InlineData("+FACTS 4242 scores.csv")]
    [InlineData("scores.csv 4242 2026-11-30")]
    [InlineData("-rw-r--r-- 1 a b notasize Nov 30 21:59 x")]
    public void LIST_lines_of_other_formats_are_not_guessed(string line) => Assert.Null(ListLineParser.ParseLine(line, Now));

    [Fact]
    public void FEAT_decides_the_listing_method()
    {
        var vsftpd = FtpFeatures.Parse([" EPRT", " EPSV", " MDTM", " PASV", " REST STREAM", " SIZE", " TVFS", " UTF8"]);
        Assert.Equal((false, true, true, true), (vsftpd.Mlsd, vsftpd.Mdtm, vsftpd.Size, vsftpd.Epsv));
        var proftpd = FtpFeatures.Parse([" MLST modify*;perm*;size*;type*;unique*;", " SIZE"]);
        Assert.True(proftpd.Mlsd);
        Assert.Contains("modify", proftpd.MlstFacts);
    }

    [Theory]
    [InlineData("10s", 10_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("500ms", 500)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("0", 0)]
    [InlineData("2h45m0.5s", 9_900_500)]
    public void Go_durations(string text, long milliseconds)
    {
        Assert.True(GoDuration.TryParse(text, out var d));
        Assert.Equal(milliseconds, (long)d.TotalMilliseconds);
    }

    [Theory]
    [InlineData("10")]
    [InlineData("10 s")]
    [InlineData("1d")]
    [InlineData("")]
    [InlineData("-5s")]
    public void Not_Go_durations(string text) => Assert.False(GoDuration.TryParse(text, out _));

    [Theory]
    [InlineData("*.csv", "a.csv", true)]
    [InlineData("*.csv", "in/deep/a.csv", true)]
    [InlineData("*.csv", "a.csv.partial", false)]
    [InlineData("in/*.csv", "in/a.csv", true)]
    [InlineData("in/*.csv", "in/deep/a.csv", false)]
    [InlineData("in/**/*.csv", "in/a.csv", true)]
    [InlineData("in/**/*.csv", "in/x/y/a.csv", true)]
    [InlineData("**/tmp/**", "a/tmp/b.csv", true)]
    [InlineData("data-[0-9].csv", "data-7.csv", true)]
    [InlineData("data-[!0-9].csv", "data-7.csv", false)]
    [InlineData("?.csv", "ab.csv", false)]
    public void Globs(string pattern, string path, bool matches) => Assert.Equal(matches, PathGlob.Parse(pattern).IsMatch(path));

    [Fact]
    public void Config_in_YAML_and_JSON_with_defaults()
    {
        var yaml = WatchConfigParser.Parse(Encoding.UTF8.GetBytes("host: vsftpd\ndir: upload/\nrecursive: true\ninclude: '*.csv'\nstableFor: 1m30s\ncheckpoint: /data/ftp.json\n"));
        Assert.Equal(("vsftpd", 21, "/upload", true, TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(10), true, StartFrom.Now, "/data/ftp.json"),
            (yaml.Host, yaml.Port, yaml.Dir, yaml.Recursive, yaml.StableFor, yaml.PollInterval, yaml.Passive, yaml.StartFrom, yaml.Checkpoint));
        Assert.Equal("ftp://vsftpd", yaml.ServerUrl);
        var json = WatchConfigParser.Parse(Encoding.UTF8.GetBytes("""{"host":"10.0.0.5","port":2121,"exclude":["**/tmp/**"],"startFrom":"all","pollInterval":"500ms"}"""));
        Assert.Equal(("ftp://10.0.0.5:2121", StartFrom.All, null as string), (json.ServerUrl, json.StartFrom, json.Checkpoint));
        Assert.False(json.Selects("a/tmp/x.csv"));
        Assert.True(json.Selects("a/x.csv"));
    }

    [Theory]
    [InlineData("host: [a, b]", "host")]
    [InlineData("host: h\nport: 70000", "port")]
    [InlineData("host: h\nuser: admin", "user")]
    [InlineData("host: h\nftpPassword: x", "ftpPassword")]
    [InlineData("host: h\nrecursive: maybe", "recursive")]
    [InlineData("host: h\ninclude: {a: 1}", "include")]
    [InlineData("host: h\ninclude: ['[abc']", "include")]
    [InlineData("- not\n- a mapping", "config")]
    [InlineData("host: 'unterminated", "config")]
    public void Config_errors_name_the_field(string text, string field)
    {
        var ex = Assert.Throws<EtlException>(() => WatchConfigParser.Parse(Encoding.UTF8.GetBytes(text)));
        Assert.Equal((WatchConfigParser.ErrorCode, EtlErrorKind.InvalidArgument, field), (ex.Code, ex.Kind, ex.Target as string));
    }

    [Fact]
    public void The_checkpoint_survives_a_reload_with_journal_and_snapshot_and_forgets_deleted_files()
    {
        string dir = Directory.CreateTempSubdirectory("argoetl-checkpoint-").FullName;
        try
        {
            string path = Path.Combine(dir, "sub", "cp.json");
            var t = new DateTimeOffset(2026, 12, 1, 1, 2, 3, TimeSpan.Zero);
            using (var cp = Checkpoint.Load(path))
            {
                Assert.False(cp.Existed);
                cp.MarkSent("a.csv", new FileState(1, t));
                cp.Compact();
                cp.MarkSent("b.csv", new FileState(2, t));
                cp.MarkSent("c.csv", new FileState(3, t));
                cp.Forget("c.csv");
            }

            // A crash cut the journal's last line short: that send is simply not recorded.
            File.AppendAllText(path + ".journal", "{\"path\":\"d.csv\",\"si");
            using var reloaded = Checkpoint.Load(path);
            Assert.True(reloaded.Existed);
            Assert.Equal(["a.csv", "b.csv"], reloaded.Paths.Order(StringComparer.Ordinal));
            Assert.True(reloaded.TryGet("b.csv", out var b));
            Assert.Equal(new FileState(2, t), b);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
