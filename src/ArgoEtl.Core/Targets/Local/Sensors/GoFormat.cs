using System.Globalization;
using System.Text;

namespace ArgoEtl.Core.Targets.Local.Sensors;

/// <summary>
/// Go's formatting and parsing of numbers and booleans where Sensors' results depend on them: fmt's %v of a float64
/// (strconv 'g', shortest, exponent from 1e+06 up), strconv 'f' -1 (gjson's String() of a non-integer), and
/// strconv.ParseBool.
/// </summary>
internal static class GoFormat
{
    public static double ParseNumber(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d : 0;

    public static bool TryParseBool(string text, out bool value)
    {
        switch (text)
        {
            case "1" or "t" or "T" or "TRUE" or "true" or "True":
                value = true;
                return true;
            case "0" or "f" or "F" or "FALSE" or "false" or "False":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }

    /// <summary>strconv.FormatFloat(d, 'f', -1, 64): the shortest digits that round-trip, never an exponent.</summary>
    public static string FormatFloatF(double d)
    {
        if (!double.IsFinite(d))
        {
            return NonFinite(d);
        }

        var (negative, digits, point) = Shortest(d);
        var sb = new StringBuilder();
        if (negative)
        {
            sb.Append('-');
        }

        if (point <= 0)
        {
            sb.Append("0.").Append('0', -point).Append(digits);
        }
        else if (point >= digits.Length)
        {
            sb.Append(digits).Append('0', point - digits.Length);
        }
        else
        {
            sb.Append(digits, 0, point).Append('.').Append(digits, point, digits.Length - point);
        }

        return sb.ToString();
    }

    /// <summary>fmt's %v of a float64: strconv 'g' with the shortest digits, so %e when the exponent is &lt; -4 or ≥ 6 (1e+06).</summary>
    public static string FormatFloatV(double d)
    {
        if (!double.IsFinite(d))
        {
            return NonFinite(d);
        }

        var (negative, digits, point) = Shortest(d);
        int exponent = point - 1;
        if (exponent < -4 || exponent >= 6)
        {
            var sb = new StringBuilder();
            if (negative)
            {
                sb.Append('-');
            }

            sb.Append(digits[0]);
            if (digits.Length > 1)
            {
                sb.Append('.').Append(digits, 1, digits.Length - 1);
            }

            sb.Append('e').Append(exponent < 0 ? '-' : '+').Append(Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture));
            return sb.ToString();
        }

        return FormatFloatF(d);
    }

    private static string NonFinite(double d) => double.IsNaN(d) ? "NaN" : d > 0 ? "+Inf" : "-Inf";

    /// <summary>The shortest round-trip decimal digits of |d| and where the decimal point goes (digits × 10^(point − len)).</summary>
    private static (bool Negative, string Digits, int Point) Shortest(double d)
    {
        if (d == 0)
        {
            return (double.IsNegative(d), "0", 1);
        }

        // "R" gives the shortest round-trip form; re-derive digits and exponent from it.
        string s = Math.Abs(d).ToString("R", CultureInfo.InvariantCulture);
        int e = s.IndexOfAny(['E', 'e']);
        int exp10 = 0;
        string mantissa = s;
        if (e >= 0)
        {
            exp10 = int.Parse(s.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            mantissa = s[..e];
        }

        int dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        string intPart = dot < 0 ? mantissa : mantissa[..dot];
        string fracPart = dot < 0 ? string.Empty : mantissa[(dot + 1)..];
        string all = intPart + fracPart;
        int point = intPart.Length + exp10;
        int lead = 0;
        while (lead < all.Length - 1 && all[lead] == '0')
        {
            lead++;
        }

        all = all[lead..];
        point -= lead;
        all = all.TrimEnd('0');
        if (all.Length == 0)
        {
            all = "0";
        }

        return (d < 0, all, point);
    }
}
