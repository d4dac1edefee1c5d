using System.Globalization;

namespace ArgoEtl.FtpEvents.Config;

/// <summary>
/// Durations as Go's time.ParseDuration writes them (Argo's own settings use them): a sequence of decimal numbers
/// each with a unit, e.g. <c>10s</c>, <c>1m30s</c>, <c>500ms</c>, <c>1.5h</c>. Units: ns, us (µs), ms, s, m, h.
/// </summary>
internal static class GoDuration
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        string s = text.Trim();
        if (s == "0")
        {
            return true;
        }

        double totalTicks = 0;
        int i = 0;
        while (i < s.Length)
        {
            int start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }

            if (i == start || !double.TryParse(s.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value))
            {
                return false;
            }

            int unitStart = i;
            while (i < s.Length && !char.IsAsciiDigit(s[i]) && s[i] != '.')
            {
                i++;
            }

            double ticksPerUnit = s[unitStart..i] switch
            {
                "ns" => TimeSpan.TicksPerMicrosecond / 1000.0,
                "us" or "µs" or "μs" => TimeSpan.TicksPerMicrosecond,
                "ms" => TimeSpan.TicksPerMillisecond,
                "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute,
                "h" => TimeSpan.TicksPerHour,
                _ => double.NaN,
            };
            if (double.IsNaN(ticksPerUnit))
            {
                return false;
            }

            totalTicks += value * ticksPerUnit;
        }

        if (totalTicks > TimeSpan.MaxValue.Ticks)
        {
            return false;
        }

        duration = TimeSpan.FromTicks((long)totalTicks);
        return true;
    }
}
