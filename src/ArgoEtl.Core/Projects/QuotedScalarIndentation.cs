using System.Text;
using YamlDotNet.Core;

namespace ArgoEtl.Core.Projects;

/// <summary>
/// Lets YamlDotNet read what kubectl and <c>argo lint</c> read. go-yaml (v2 and v3, libyaml's scanner, under
/// sigs.k8s.io/yaml) puts no indentation rule on the continuation lines of a quoted scalar inside a flow collection, so
/// Argo's own examples write
/// <code>
///       args: ["
///         cd /src &amp;&amp; go build .
///       "]
/// </code>
/// with the closing line indented like its key. YamlDotNet's scanner refuses that ("While scanning a multi-line
/// double-quoted scalar, found wrong indentation") and has no option to allow it. So when — and only when — it reports
/// that error, the scalar it names gets its continuation lines indented past its opening quote, and the text is read
/// again. That changes nothing the document means: the leading white space of a flow scalar's continuation line is not
/// part of its value (YAML 1.2, 7.3.1 and 6.5, line folding), and only spaces are added, so every line keeps its number
/// for file:line messages. Everything else (duplicate keys, aliases, depth) is still checked on the repaired text.
/// </summary>
public static class QuotedScalarIndentation
{
    private const string YamlDotNetMessage = "multi-line double-quoted scalar, found wrong indentation";

    /// <summary>Whether <paramref name="ex"/> is the one refusal this type repairs.</summary>
    public static bool IsWrongIndentation(YamlException ex) =>
        ex is not null && ex.Message.Contains(YamlDotNetMessage, StringComparison.Ordinal);

    /// <summary>
    /// <paramref name="text"/> with the continuation lines of the double-quoted scalar that opens at
    /// <paramref name="start"/> indented one column past its opening quote; null when there is no such scalar there or
    /// no line needed it (so a caller cannot loop).
    /// </summary>
    public static string? Indent(string text, Mark start)
    {
        ArgumentNullException.ThrowIfNull(text);
        int quote = Offset(text, (int)start.Line, (int)start.Column);
        if (quote < 0 || text[quote] != '"')
        {
            return null;
        }

        int lineStart = text.LastIndexOf('\n', Math.Max(0, quote - 1)) + 1;
        int wanted = quote - lineStart + 1;
        var result = new StringBuilder(text.Length + 64);
        result.Append(text, 0, quote + 1);
        bool changed = false;
        int i = quote + 1;
        while (i < text.Length)
        {
            char c = text[i];
            if (c == '\\' && i + 1 < text.Length && text[i + 1] != '\n' && text[i + 1] != '\r')
            {
                result.Append(c).Append(text[i + 1]);
                i += 2;
                continue;
            }

            result.Append(c);
            i++;
            if (c == '"')
            {
                break;
            }

            if (c == '\n')
            {
                int spaces = 0;
                while (i + spaces < text.Length && text[i + spaces] == ' ')
                {
                    spaces++;
                }

                bool blank = i + spaces >= text.Length || text[i + spaces] is '\n' or '\r';
                if (!blank && spaces < wanted)
                {
                    result.Append(' ', wanted - spaces);
                    changed = true;
                }
            }
        }

        if (!changed)
        {
            return null;
        }

        result.Append(text, i, text.Length - i);
        return result.ToString();
    }

    /// <summary>The character offset of a 1-based line and column, or -1 when the text has no such position.</summary>
    private static int Offset(string text, int line, int column)
    {
        int at = 0;
        for (int l = 1; l < line; l++)
        {
            at = text.IndexOf('\n', at);
            if (at < 0)
            {
                return -1;
            }

            at++;
        }

        int offset = at + column - 1;
        return offset >= 0 && offset < text.Length ? offset : -1;
    }
}
