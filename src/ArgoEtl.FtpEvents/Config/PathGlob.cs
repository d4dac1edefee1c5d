using System.Text;
using System.Text.RegularExpressions;

namespace ArgoEtl.FtpEvents.Config;

/// <summary>
/// A glob over paths relative to the watched folder: <c>*</c> and <c>?</c> stay inside one path segment, <c>**</c>
/// spans segments, <c>[abc]</c> is a character class. A pattern without a slash matches the file name at any depth
/// (<c>*.csv</c>), one with a slash matches the whole relative path (<c>in/**/*.csv</c>).
/// </summary>
internal sealed class PathGlob
{
    private readonly Regex _regex;
    private readonly bool _nameOnly;

    private PathGlob(string pattern, Regex regex, bool nameOnly)
    {
        Pattern = pattern;
        _regex = regex;
        _nameOnly = nameOnly;
    }

    public string Pattern { get; }

    public static PathGlob Parse(string pattern)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        string p = pattern.TrimStart('/');
        var sb = new StringBuilder("^");
        for (int i = 0; i < p.Length; i++)
        {
            char c = p[i];
            switch (c)
            {
                case '*' when i + 1 < p.Length && p[i + 1] == '*':
                    // "**/" matches zero or more whole segments; a trailing "**" matches the rest.
                    if (i + 2 < p.Length && p[i + 2] == '/')
                    {
                        sb.Append("(?:.*/)?");
                        i += 2;
                    }
                    else
                    {
                        sb.Append(".*");
                        i++;
                    }

                    break;
                case '*': sb.Append("[^/]*"); break;
                case '?': sb.Append("[^/]"); break;
                case '[':
                    int close = p.IndexOf(']', i + 1);
                    if (close < 0)
                    {
                        throw new FormatException($"'[' without ']' in '{pattern}'.");
                    }

                    string set = p[(i + 1)..close];
                    sb.Append('[').Append(set.StartsWith('!') ? "^" + Regex.Escape(set[1..]) : Regex.Escape(set)).Append(']');
                    i = close;
                    break;
                default: sb.Append(Regex.Escape(c.ToString())); break;
            }
        }

        sb.Append('$');
        return new PathGlob(pattern, new Regex(sb.ToString(), RegexOptions.CultureInvariant), !p.Contains('/', StringComparison.Ordinal));
    }

    /// <param name="relativePath">The path below the watched folder, with '/' separators and no leading slash.</param>
    public bool IsMatch(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        return _regex.IsMatch(_nameOnly ? relativePath[(relativePath.LastIndexOf('/') + 1)..] : relativePath);
    }
}
