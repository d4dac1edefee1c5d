using System.Globalization;
using System.Text.RegularExpressions;

namespace ArgoEtl.FtpEvents.Ftp;

/// <summary>
/// LIST output, for the two formats servers actually use, each by its grammar: Unix <c>ls -l</c>
/// (<c>type perms links owner [group] size month day time-or-year name</c>) and DOS/IIS
/// (<c>MM-DD-YY[YY] hh:mm[AM|PM] &lt;DIR&gt;|size name</c>). A line that matches neither is not guessed at: it is
/// returned as null and the caller reports it. LIST gives local times of unknown zone and, for Unix, minutes only,
/// which is why MLSD and MDTM are preferred; a stable-time check still works on them because they are compared with
/// themselves.
/// </summary>
internal static partial class ListLineParser
{
    public static FtpEntry? ParseLine(string line, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(line);
        return ParseUnix(line, now) ?? ParseDos(line);
    }

    /// <summary>Whether the line is one a LIST reply may hold that names no entry ("total 12").</summary>
    public static bool IsNoise(string line) => string.IsNullOrWhiteSpace(line) || TotalLine().IsMatch(line);

    private static FtpEntry? ParseUnix(string line, DateTimeOffset now)
    {
        var m = UnixLine().Match(line);
        if (!m.Success)
        {
            return null;
        }

        var type = m.Groups["type"].Value switch
        {
            "-" => FtpEntryType.File,
            "d" => FtpEntryType.Directory,
            _ => FtpEntryType.Other,
        };
        string name = m.Groups["name"].Value;
        if (m.Groups["type"].Value == "l")
        {
            int arrow = name.IndexOf(" -> ", StringComparison.Ordinal);
            name = arrow > 0 ? name[..arrow] : name;
        }

        if (name is "." or "..")
        {
            return null;
        }

        int month = Array.IndexOf(Months, m.Groups["month"].Value.ToLowerInvariant()) + 1;
        int day = int.Parse(m.Groups["day"].Value, CultureInfo.InvariantCulture);
        DateTimeOffset? modified;
        string timeOrYear = m.Groups["timeOrYear"].Value;
        if (timeOrYear.Contains(':', StringComparison.Ordinal))
        {
            // "Mon DD HH:MM" means within the last six months: this year, or last year if that date is still ahead.
            var parts = timeOrYear.Split(':');
            int hour = int.Parse(parts[0], CultureInfo.InvariantCulture), minute = int.Parse(parts[1], CultureInfo.InvariantCulture);
            modified = SafeDate(now.Year, month, day, hour, minute);
            if (modified > now.AddDays(1))
            {
                modified = SafeDate(now.Year - 1, month, day, hour, minute);
            }
        }
        else
        {
            modified = SafeDate(int.Parse(timeOrYear, CultureInfo.InvariantCulture), month, day, 0, 0);
        }

        long size = long.Parse(m.Groups["size"].Value, CultureInfo.InvariantCulture);
        return new FtpEntry(name, type, type == FtpEntryType.File ? size : null, modified);
    }

    private static FtpEntry? ParseDos(string line)
    {
        var m = DosLine().Match(line);
        if (!m.Success)
        {
            return null;
        }

        string date = m.Groups["date"].Value, time = m.Groups["time"].Value.ToUpperInvariant();
        string[] dateFormats = ["MM-dd-yy", "MM-dd-yyyy"];
        string[] timeFormats = time.EndsWith('M') ? ["hh:mmtt", "h:mmtt"] : ["HH:mm", "H:mm"];
        DateTimeOffset? modified = null;
        foreach (string df in dateFormats)
        {
            foreach (string tf in timeFormats)
            {
                if (DateTimeOffset.TryParseExact($"{date} {time}", $"{df} {tf}", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
                {
                    modified = t;
                }
            }
        }

        string sizeOrDir = m.Groups["sizeOrDir"].Value;
        bool isDir = sizeOrDir.Equals("<DIR>", StringComparison.OrdinalIgnoreCase);
        return new FtpEntry(m.Groups["name"].Value, isDir ? FtpEntryType.Directory : FtpEntryType.File,
            isDir ? null : long.Parse(sizeOrDir, CultureInfo.InvariantCulture), modified);
    }

    private static DateTimeOffset? SafeDate(int year, int month, int day, int hour, int minute) =>
        month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month) && hour < 24 && minute < 60
            ? new DateTimeOffset(year, month, day, hour, minute, 0, TimeSpan.Zero) : null;

    private static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    // type, 9 permission characters (with setuid/sticky letters) and an optional ACL/xattr mark, then link count,
    // owner, optional group, size, and the date; the name is the rest after exactly one space.
    [GeneratedRegex(@"^(?<type>[-dlbcps])[-rwxsStTl]{9}[+@.]?\s+\d+\s+\S+(?:\s+\S+)?\s+(?<size>\d+)\s+(?<month>(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))\s+(?<day>\d{1,2})\s+(?<timeOrYear>\d{1,2}:\d{2}|\d{4})\s(?<name>.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex UnixLine();

    [GeneratedRegex(@"^(?<date>\d{2}-\d{2}-(?:\d{4}|\d{2}))\s+(?<time>\d{1,2}:\d{2}(?:[AaPp][Mm])?)\s+(?<sizeOrDir><DIR>|\d+)\s+(?<name>.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex DosLine();

    [GeneratedRegex(@"^total\s+\d+$", RegexOptions.CultureInvariant)]
    private static partial Regex TotalLine();
}
