using System.Globalization;
using System.Text;

namespace ArgoEtl.Core.Targets.Local.Sensors.Templates;

/// <summary>The part of Go's fmt.Sprintf templates use: %v %s %d %f/%.Nf %t %q %x %%, with a width; a verb that does not fit its operand prints Go's %!verb(type=value).</summary>
internal static class GoPrintf
{
    public static string Format(string format, IReadOnlyList<object?> args)
    {
        var sb = new StringBuilder();
        int next = 0;
        for (int i = 0; i < format.Length; i++)
        {
            char c = format[i];
            if (c != '%')
            {
                sb.Append(c);
                continue;
            }

            if (++i >= format.Length)
            {
                sb.Append("%!(NOVERB)");
                break;
            }

            bool leftAlign = false, zeroPad = false;
            while (i < format.Length && format[i] is '-' or '0' or '+' or ' ' or '#')
            {
                leftAlign |= format[i] == '-';
                zeroPad |= format[i] == '0';
                i++;
            }

            int width = ReadInt(format, ref i);
            int precision = -1;
            if (i < format.Length && format[i] == '.')
            {
                i++;
                precision = Math.Max(0, ReadInt(format, ref i));
            }

            if (i >= format.Length)
            {
                sb.Append("%!(NOVERB)");
                break;
            }

            char verb = format[i];
            if (verb == '%')
            {
                sb.Append('%');
                continue;
            }

            if (next >= args.Count)
            {
                sb.Append("%!").Append(verb).Append("(MISSING)");
                continue;
            }

            string text = One(verb, precision, args[next++]);
            if (text.Length < width)
            {
                text = leftAlign ? text.PadRight(width) : text.PadLeft(width, zeroPad ? '0' : ' ');
            }

            sb.Append(text);
        }

        if (next < args.Count)
        {
            sb.Append("%!(EXTRA ").Append(string.Join(", ", args.Skip(next).Select(a => TemplateFunctions.GoTypeName(a) + "=" + GoValue.Print(a)))).Append(')');
        }

        return sb.ToString();
    }

    /// <summary>strconv.Quote for the characters templates meet.</summary>
    public static string Quote(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case < ' ' or '\u007f': sb.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture)); break;
                default: sb.Append(c); break;
            }
        }

        return sb.Append('"').ToString();
    }

    private static string One(char verb, int precision, object? arg) => (verb, arg) switch
    {
        ('v', _) => GoValue.Print(arg),
        ('s', string s) => precision >= 0 && s.Length > precision ? s[..precision] : s,
        ('s', _) when arg is not (double or long or int or bool) => GoValue.Print(arg),
        ('q', string s) => Quote(s),
        ('d', long or int) => Convert.ToInt64(arg, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
        ('f' or 'F', double d) => d.ToString("F" + (precision < 0 ? 6 : precision).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
        ('g', double d) => GoFormat.FormatFloatV(d),
        ('t', bool b) => b ? "true" : "false",
        ('x', long or int) => Convert.ToInt64(arg, CultureInfo.InvariantCulture).ToString("x", CultureInfo.InvariantCulture),
        ('x', string s) => Convert.ToHexStringLower(Encoding.UTF8.GetBytes(s)),
        ('X', string s) => Convert.ToHexString(Encoding.UTF8.GetBytes(s)),
        _ => $"%!{verb}({TemplateFunctions.GoTypeName(arg)}={GoValue.Print(arg)})",
    };

    private static int ReadInt(string s, ref int i)
    {
        int start = i;
        while (i < s.Length && char.IsDigit(s[i]))
        {
            i++;
        }

        return i > start ? int.Parse(s.AsSpan(start, i - start), CultureInfo.InvariantCulture) : -1;
    }
}
