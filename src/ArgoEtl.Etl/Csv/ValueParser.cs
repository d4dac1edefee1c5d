using System.Globalization;

namespace ArgoEtl.Etl.Csv;

/// <summary>
/// Culture-invariant parsing of one field's text into a typed value. The accepted forms are deliberately narrow and
/// documented, so that the same file converts the same way on every machine.
/// </summary>
internal static class ValueParser
{
    private static readonly string[] DateFormats = ["yyyy-MM-dd", "yyyy/MM/dd"];

    public static bool TryParseInt32(ReadOnlySpan<char> s, out int value) =>
        int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    public static bool TryParseInt64(ReadOnlySpan<char> s, out long value) =>
        long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    public static bool TryParseDouble(ReadOnlySpan<char> s, out double value) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    /// <summary>true/false, t/f, yes/no, y/n, 1/0 in any case.</summary>
    public static bool TryParseBoolean(ReadOnlySpan<char> s, out bool value)
    {
        if (s.Equals("true", StringComparison.OrdinalIgnoreCase) || s.Equals("t", StringComparison.OrdinalIgnoreCase)
            || s.Equals("yes", StringComparison.OrdinalIgnoreCase) || s.Equals("y", StringComparison.OrdinalIgnoreCase) || s.SequenceEqual("1"))
        {
            value = true;
            return true;
        }

        value = false;
        return s.Equals("false", StringComparison.OrdinalIgnoreCase) || s.Equals("f", StringComparison.OrdinalIgnoreCase)
            || s.Equals("no", StringComparison.OrdinalIgnoreCase) || s.Equals("n", StringComparison.OrdinalIgnoreCase) || s.SequenceEqual("0");
    }

    /// <summary>Only the strict word forms; used by inference so that 0/1 columns stay integers.</summary>
    public static bool IsBooleanWord(ReadOnlySpan<char> s) =>
        s.Equals("true", StringComparison.OrdinalIgnoreCase) || s.Equals("false", StringComparison.OrdinalIgnoreCase);

    public static bool TryParseDate(ReadOnlySpan<char> s, out DateOnly value) =>
        DateOnly.TryParseExact(s, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);

    /// <summary>ISO 8601 date and time, with 'T' or a space, optional fraction and offset; no offset means UTC.</summary>
    public static bool TryParseTimestamp(ReadOnlySpan<char> s, out DateTime utc)
    {
        // A bare date is a date, not a timestamp; require a time part so inference does not confuse the two.
        if (s.Length < 16 || (s[10] != 'T' && s[10] != ' '))
        {
            utc = default;
            return false;
        }

        if (DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var dt))
        {
            utc = DateTime.SpecifyKind(dt, DateTimeKind.Utc);
            return true;
        }

        utc = default;
        return false;
    }
}
