using System.Globalization;

namespace ArgoEtl.FtpEvents.Ftp;

/// <summary>
/// MLSD lines (RFC 3659 §7): <c>fact=value;fact=value; name</c>. Facts are case-insensitive; <c>modify</c> is
/// <c>YYYYMMDDHHMMSS[.sss]</c> in UTC; <c>cdir</c>/<c>pdir</c> entries name the folder itself and its parent.
/// </summary>
internal static class MlsdParser
{
    public static FtpEntry? ParseLine(string line)
    {
        ArgumentNullException.ThrowIfNull(line);

        // The fact list ends at the first space; the name is everything after it (names may hold spaces and ';').
        int space = line.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0 || space == line.Length - 1)
        {
            return null;
        }

        string name = line[(space + 1)..];
        var type = FtpEntryType.Other;
        long? size = null;
        DateTimeOffset? modified = null;
        bool typed = false;
        foreach (string fact in line[..space].Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = fact.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            string key = fact[..eq].ToLowerInvariant();
            string value = fact[(eq + 1)..];
            switch (key)
            {
                case "type":
                    typed = true;
                    switch (value.ToLowerInvariant())
                    {
                        case "file": type = FtpEntryType.File; break;
                        case "dir": type = FtpEntryType.Directory; break;
                        case "cdir" or "pdir": return null;
                        default: type = FtpEntryType.Other; break;
                    }

                    break;
                case "size" or "sizd":
                    if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long n))
                    {
                        size = n;
                    }

                    break;
                case "modify":
                    modified = ParseTimeVal(value);
                    break;
            }
        }

        return typed ? new FtpEntry(name, type, type == FtpEntryType.File ? size : null, modified) : null;
    }

    /// <summary>RFC 3659 time-val: <c>YYYYMMDDHHMMSS</c> with an optional fraction, always UTC. Also the MDTM reply's form.</summary>
    public static DateTimeOffset? ParseTimeVal(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        string[] formats = ["yyyyMMddHHmmss", "yyyyMMddHHmmss.f", "yyyyMMddHHmmss.ff", "yyyyMMddHHmmss.fff", "yyyyMMddHHmmss.ffff", "yyyyMMddHHmmss.fffff", "yyyyMMddHHmmss.ffffff"];
        return DateTimeOffset.TryParseExact(value.Trim(), formats, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time) ? time : null;
    }
}
