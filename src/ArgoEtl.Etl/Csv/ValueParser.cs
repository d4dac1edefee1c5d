using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ArgoEtl.Etl.Csv;

/// <summary>
/// Culture-invariant parsing of one field's text into a typed value. The accepted forms are deliberately narrow and
/// documented, so that the same file converts the same way on every machine.
/// </summary>
internal static class ValueParser
{
    private static readonly string[] DateFormats = ["yyyy-MM-dd", "yyyy/MM/dd"];

    // Exact powers of ten as doubles (10^22 is the largest that is).
    private static readonly double[] ExactPowersOfTen =
        [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

    // A field of an optional '-' and up to 9 (int32) or 18 (int64) digits, nearly every integer field, is read digit by
    // digit: too few digits to overflow, and the value is the one int.TryParse gives. Anything else goes to the general
    // parser, which decides what it accepts.
    public static bool TryParseInt32(ReadOnlySpan<char> s, out int value)
    {
        if (TrySimpleInteger(s, 9, out long simple))
        {
            value = (int)simple;
            return true;
        }

        return int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    public static bool TryParseInt64(ReadOnlySpan<char> s, out long value) =>
        TrySimpleInteger(s, 18, out value) || long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    /// <summary>
    /// A double, never an overflow: .NET parses 1e400 as Infinity, which would silently change the value. The words
    /// NaN and Infinity themselves are accepted (written to JSON as strings).
    /// </summary>
    public static bool TryParseDouble(ReadOnlySpan<char> s, out double value) =>
        TrySimpleDecimal(s, out value)
        || (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value)
            && (double.IsFinite(value) || s.IndexOfAnyInRange('0', '9') < 0));

    internal static bool TrySimpleInteger(ReadOnlySpan<char> s, int maxDigits, out long value)
    {
        int i = s.Length > 0 && s[0] == '-' ? 1 : 0;
        int digits = s.Length - i;
        long v = 0;
        value = 0;
        if (digits == 0 || digits > maxDigits)
        {
            return false;
        }

        for (; i < s.Length; i++)
        {
            uint digit = (uint)(s[i] - '0');
            if (digit > 9)
            {
                return false;
            }

            v = (v * 10) + digit;
        }

        value = s[0] == '-' ? -v : v;
        return true;
    }

    /// <summary>
    /// -?digits[.digits] with at most 15 digits in all (amounts, ratios, measurements): the digits as an integer below
    /// 2^53 and the power of ten are both exact doubles, so their quotient is the correctly rounded value, the same
    /// double that double.Parse returns (Clinger's fast path). Anything else is left to double.TryParse.
    /// </summary>
    internal static bool TrySimpleDecimal(ReadOnlySpan<char> s, out double value)
    {
        value = 0;
        int i = s.Length > 0 && s[0] == '-' ? 1 : 0;
        if (s.Length - i is 0 or > 16)
        {
            return false;
        }

        long mantissa = 0;
        int digits = 0;
        int point = -1;
        for (; i < s.Length; i++)
        {
            char c = s[i];
            uint digit = (uint)(c - '0');
            if (digit <= 9)
            {
                mantissa = (mantissa * 10) + digit;
                digits++;
            }
            else if (c == '.' && point < 0)
            {
                point = i;
            }
            else
            {
                return false;
            }
        }

        // "1." and ".5" are left to the general parser along with everything unusual.
        if (digits == 0 || digits > 15 || point == s.Length - 1 || point == (s[0] == '-' ? 1 : 0))
        {
            return false;
        }

        int fraction = point < 0 ? 0 : s.Length - point - 1;
        double magnitude = mantissa / ExactPowersOfTen[fraction];
        value = s[0] == '-' ? -magnitude : magnitude;
        return true;
    }

    /// <summary>Why <paramref name="text"/> is not a valid value of the type (the error path only).</summary>
    public static string WhyInvalid(Schema.ColumnType type, string text, string typeName)
    {
        bool numeric = type is Schema.ColumnType.Int32 or Schema.ColumnType.Int64 or Schema.ColumnType.Double;
        if (numeric && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d)
            && (type != Schema.ColumnType.Double || !double.IsFinite(d)))
        {
            bool whole = type != Schema.ColumnType.Double;
            if (!whole || Math.Abs(d) >= 2147483648 || (type == Schema.ColumnType.Int64 && Math.Abs(d) >= 9.2e18))
            {
                return $"'{text}' is out of the range of {typeName}";
            }
        }

        return $"'{text}' is not a valid {typeName}";
    }

    /// <summary>true/false, t/f, yes/no, y/n, 1/0 in any case.</summary>
    public static bool TryParseBoolean(ReadOnlySpan<char> s, out bool value)
    {
        if (TryBooleanWord(s, out value))
        {
            return true;
        }

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

    /// <summary>
    /// "true" or "false" in any case, told apart without a branch on which: in a column of both, the words come in no
    /// order a branch predictor can learn, and the general parser's chain of comparisons mispredicted on most fields.
    /// Both words end in 'e'; the first four chars, lower-cased, are "true" or "fals". Anything else returns false, and
    /// <see cref="TryParseBoolean"/>, which starts here, goes on to the other forms.
    /// </summary>
    public static bool TryBooleanWord(ReadOnlySpan<char> s, out bool value)
    {
        const ulong True = 't' | ((ulong)'r' << 16) | ((ulong)'u' << 32) | ((ulong)'e' << 48);
        const ulong Fals = 'f' | ((ulong)'a' << 16) | ((ulong)'l' << 32) | ((ulong)'s' << 48);
        const ulong LowerCase = 0x0020_0020_0020_0020;
        if (s.Length is not (4 or 5))
        {
            value = false;
            return false;
        }

        ref byte first = ref Unsafe.As<char, byte>(ref MemoryMarshal.GetReference(s));
        ulong word = Unsafe.ReadUnaligned<ulong>(ref first) | LowerCase;
        bool endsInE = (s[^1] | 0x20) == 'e';
        bool isTrue = word == True;
        value = isTrue;
        return endsInE & ((isTrue & s.Length == 4) | (word == Fals & s.Length == 5));
    }

    /// <summary>Only the strict word forms; used by inference so that 0/1 columns stay integers.</summary>
    public static bool IsBooleanWord(ReadOnlySpan<char> s) =>
        s.Equals("true", StringComparison.OrdinalIgnoreCase) || s.Equals("false", StringComparison.OrdinalIgnoreCase);

    public static bool TryParseDate(ReadOnlySpan<char> s, out DateOnly value)
    {
        // The common yyyy-MM-dd is read digit by digit: the general parser costs more than the rest of the row.
        if (TryIsoDateDigits(s, out int y, out int m, out int d))
        {
            if (IsRealDay(y, m, d))
            {
                value = new DateOnly(y, m, d);
                return true;
            }

            value = default;
            return false;
        }

        return DateOnly.TryParseExact(s, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
    }

    /// <summary>ISO 8601 date and time, with 'T' or a space, optional fraction and offset; no offset means UTC.</summary>
    public static bool TryParseTimestamp(ReadOnlySpan<char> s, out DateTime utc)
    {
        // A bare date is a date, not a timestamp; require a time part so inference does not confuse the two.
        if (s.Length < 16 || (s[10] != 'T' && s[10] != ' '))
        {
            utc = default;
            return false;
        }

        // Fast path for yyyy-MM-dd[T ]HH:mm:ss with an optional Z, the form exports and logs nearly always use.
        if ((s.Length == 19 || (s.Length == 20 && s[19] == 'Z')) && TryIsoTimeDigits(s, out int hh, out int mm, out int ss) && TryParseDate(s[..10], out var date))
        {
            if (IsRealTime(hh, mm, ss))
            {
                utc = new DateTime(date, new TimeOnly(hh, mm, ss), DateTimeKind.Utc);
                return true;
            }

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

    /// <summary>
    /// yyyy-MM-dd, a real day: the form <see cref="TryParseDate"/> reads digit by digit. Such a field's text is the value
    /// as JSON prints it, so NDJSON copies it instead of making a DateOnly and formatting it back.
    /// </summary>
    public static bool IsIsoDate(ReadOnlySpan<char> s) => TryIsoDateDigits(s, out int y, out int m, out int d) && IsRealDay(y, m, d);

    /// <summary>yyyy-MM-dd[T ]HH:mm:ss[Z], a real day and time: the form <see cref="TryParseTimestamp"/> reads digit by digit.</summary>
    public static bool IsIsoTimestamp(ReadOnlySpan<char> s) =>
        (s.Length == 19 || (s.Length == 20 && s[19] == 'Z')) && (s[10] == 'T' || s[10] == ' ')
        && IsIsoDate(s[..10]) && TryIsoTimeDigits(s, out int hh, out int mm, out int ss) && IsRealTime(hh, mm, ss);

    // The digit-by-digit forms, shared by the parsers and the checks NDJSON copies by: yyyy-MM-dd, and HH:mm:ss at 11.
    private static bool TryIsoDateDigits(ReadOnlySpan<char> s, out int y, out int m, out int d)
    {
        y = m = d = 0;
        return s.Length == 10 && s[4] == '-' && s[7] == '-' && TryDigits(s, 0, 4, out y) && TryDigits(s, 5, 2, out m) && TryDigits(s, 8, 2, out d);
    }

    private static bool TryIsoTimeDigits(ReadOnlySpan<char> s, out int hh, out int mm, out int ss)
    {
        hh = mm = ss = 0;
        return s[13] == ':' && s[16] == ':' && TryDigits(s, 11, 2, out hh) && TryDigits(s, 14, 2, out mm) && TryDigits(s, 17, 2, out ss);
    }

    private static bool IsRealDay(int y, int m, int d) => y >= 1 && m is >= 1 and <= 12 && d >= 1 && d <= DateTime.DaysInMonth(y, m);

    private static bool IsRealTime(int hh, int mm, int ss) => hh < 24 && mm < 60 && ss < 60;

    private static bool TryDigits(ReadOnlySpan<char> s, int start, int count, out int value)
    {
        value = 0;
        for (int i = start; i < start + count; i++)
        {
            int digit = s[i] - '0';
            if ((uint)digit > 9)
            {
                return false;
            }

            value = (value * 10) + digit;
        }

        return true;
    }
}
