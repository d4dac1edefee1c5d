using System.Globalization;

namespace ArgoEtl.Bench;

/// <summary>The machine's 1-minute load average, printed beside each result: on a shared machine it says how far to trust a time.</summary>
internal static class Load
{
    public static string Now()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "?";
        }
    }

}
