using System.Text;

namespace ArgoEtl.Core.Targets.Local.Sensors.Templates;

/// <summary>Splits a Go template into text and actions ("{{ ... }}", with "{{- " and " -}}" trimming white space).</summary>
internal static class TemplateLexer
{
    /// <summary>The template's pieces: text (IsAction false) and the tokens of each action (IsAction true).</summary>
    public static List<(bool IsAction, string Text, List<TemplateToken> Tokens)> Lex(string template)
    {
        var pieces = new List<(bool, string, List<TemplateToken>)>();
        int pos = 0;
        bool trimNextText = false;
        while (pos <= template.Length)
        {
            int open = template.IndexOf("{{", pos, StringComparison.Ordinal);
            string text = open < 0 ? template[pos..] : template[pos..open];
            bool trimLeft = open >= 0 && open + 3 < template.Length && template[open + 2] == '-' && char.IsWhiteSpace(template[open + 3]);
            if (trimNextText)
            {
                text = text.TrimStart(' ', '\t', '\r', '\n');
            }

            if (trimLeft)
            {
                text = text.TrimEnd(' ', '\t', '\r', '\n');
            }

            if (text.Length > 0)
            {
                pieces.Add((false, text, []));
            }

            if (open < 0)
            {
                break;
            }

            int start = open + (trimLeft ? 3 : 2);
            var tokens = LexAction(template, start, out int end, out bool trimRight);
            if (tokens is not null)
            {
                pieces.Add((true, string.Empty, tokens));
            }

            trimNextText = trimRight;
            pos = end;
        }

        return pieces;
    }

    /// <summary>Tokens up to the closing "}}"; null for a comment. <paramref name="end"/> is just past "}}".</summary>
    private static List<TemplateToken>? LexAction(string s, int i, out int end, out bool trimRight)
    {
        var tokens = new List<TemplateToken>();
        SkipSpace(s, ref i);
        if (s.AsSpan(i).StartsWith("/*"))
        {
            int close = s.IndexOf("*/", i + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                throw new GoTemplateException("unclosed comment");
            }

            i = close + 2;
            SkipSpace(s, ref i);
            trimRight = s.AsSpan(i).StartsWith("-}}");
            i += trimRight ? 1 : 0;
            if (!s.AsSpan(i).StartsWith("}}"))
            {
                throw new GoTemplateException("comment ends before closing delimiter");
            }

            end = i + 2;
            return null;
        }

        while (true)
        {
            bool joined = i < s.Length && !char.IsWhiteSpace(s[i]);
            SkipSpace(s, ref i);
            if (i >= s.Length)
            {
                throw new GoTemplateException("unclosed action");
            }

            if (s.AsSpan(i).StartsWith("}}"))
            {
                trimRight = false;
                end = i + 2;
                return tokens;
            }

            if (s.AsSpan(i).StartsWith("-}}") && char.IsWhiteSpace(s[i - 1]))
            {
                trimRight = true;
                end = i + 3;
                return tokens;
            }

            char c = s[i];
            switch (c)
            {
                case '|':
                    tokens.Add(new(TemplateTokenKind.Pipe, "|", [], joined));
                    i++;
                    break;
                case '(':
                    tokens.Add(new(TemplateTokenKind.LeftParen, "(", [], joined));
                    i++;
                    break;
                case ')':
                    tokens.Add(new(TemplateTokenKind.RightParen, ")", [], joined));
                    i++;
                    break;
                case ',':
                    tokens.Add(new(TemplateTokenKind.Comma, ",", [], joined));
                    i++;
                    break;
                case ':' when i + 1 < s.Length && s[i + 1] == '=':
                    tokens.Add(new(TemplateTokenKind.Declare, ":=", [], joined));
                    i += 2;
                    break;
                case '=':
                    tokens.Add(new(TemplateTokenKind.Assign, "=", [], joined));
                    i++;
                    break;
                case '"':
                    tokens.Add(new(TemplateTokenKind.String, ReadQuoted(s, ref i), [], joined));
                    break;
                case '`':
                    int close = s.IndexOf('`', i + 1);
                    if (close < 0)
                    {
                        throw new GoTemplateException("unterminated raw quoted string");
                    }

                    tokens.Add(new(TemplateTokenKind.String, s[(i + 1)..close], [], joined));
                    i = close + 1;
                    break;
                case '.':
                    if (i + 1 < s.Length && char.IsDigit(s[i + 1]))
                    {
                        tokens.Add(new(TemplateTokenKind.Number, ReadWord(s, ref i), [], joined));
                        break;
                    }

                    var fields = ReadFields(s, ref i);
                    tokens.Add(new(TemplateTokenKind.Field, string.Join('.', fields), fields, joined));
                    break;
                case '$':
                    int startVar = i++;
                    while (i < s.Length && (char.IsLetterOrDigit(s[i]) || s[i] == '_'))
                    {
                        i++;
                    }

                    string name = s[startVar..i];
                    var chain = i < s.Length && s[i] == '.' ? ReadFields(s, ref i) : [];
                    tokens.Add(new(TemplateTokenKind.Variable, name, chain, joined));
                    break;
                case '\'':
                    int closeChar = s.IndexOf('\'', i + 1);
                    if (closeChar < 0)
                    {
                        throw new GoTemplateException("unterminated character constant");
                    }

                    // A Go rune constant is an integer.
                    string rune = s[(i + 1)..closeChar];
                    tokens.Add(new(TemplateTokenKind.Number, rune.Length > 0 ? ((int)rune[0]).ToString(System.Globalization.CultureInfo.InvariantCulture) : "0", [], joined));
                    i = closeChar + 1;
                    break;
                case '-' or '+' when i + 1 < s.Length && (char.IsDigit(s[i + 1]) || s[i + 1] == '.'):
                    tokens.Add(new(TemplateTokenKind.Number, ReadWord(s, ref i), [], joined));
                    break;
                default:
                    if (char.IsDigit(c))
                    {
                        tokens.Add(new(TemplateTokenKind.Number, ReadWord(s, ref i), [], joined));
                    }
                    else if (char.IsLetter(c) || c == '_')
                    {
                        int startId = i;
                        while (i < s.Length && (char.IsLetterOrDigit(s[i]) || s[i] == '_'))
                        {
                            i++;
                        }

                        tokens.Add(new(TemplateTokenKind.Identifier, s[startId..i], [], joined));
                    }
                    else
                    {
                        throw new GoTemplateException($"unexpected \"{c}\" in command");
                    }

                    break;
            }
        }
    }

    private static List<string> ReadFields(string s, ref int i)
    {
        var fields = new List<string>();
        while (i < s.Length && s[i] == '.')
        {
            int start = ++i;
            while (i < s.Length && (char.IsLetterOrDigit(s[i]) || s[i] == '_'))
            {
                i++;
            }

            if (i > start)
            {
                fields.Add(s[start..i]);
            }
            else if (fields.Count > 0)
            {
                throw new GoTemplateException("unexpected . after term");
            }
        }

        return fields;
    }

    private static string ReadWord(string s, ref int i)
    {
        int start = i++;
        while (i < s.Length && (char.IsLetterOrDigit(s[i]) || s[i] is '.' or '_' or '+' or '-') && !(s[i] is '+' or '-' && s[i - 1] is not ('e' or 'E')))
        {
            i++;
        }

        return s[start..i];
    }

    private static string ReadQuoted(string s, ref int i)
    {
        var sb = new StringBuilder();
        i++;
        while (i < s.Length && s[i] != '"')
        {
            char c = s[i++];
            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }

            if (i >= s.Length)
            {
                break;
            }

            char e = s[i++];
            switch (e)
            {
                case 'n': sb.Append('\n'); break;
                case 't': sb.Append('\t'); break;
                case 'r': sb.Append('\r'); break;
                case '\\': sb.Append('\\'); break;
                case '"': sb.Append('"'); break;
                case '\'': sb.Append('\''); break;
                case 'u' when i + 4 <= s.Length:
                    sb.Append((char)Convert.ToInt32(s.Substring(i, 4), 16));
                    i += 4;
                    break;
                case 'x' when i + 2 <= s.Length:
                    sb.Append((char)Convert.ToInt32(s.Substring(i, 2), 16));
                    i += 2;
                    break;
                default:
                    throw new GoTemplateException($"invalid syntax: unknown escape \\{e}");
            }
        }

        if (i >= s.Length)
        {
            throw new GoTemplateException("unterminated quoted string");
        }

        i++;
        return sb.ToString();
    }

    private static void SkipSpace(string s, ref int i)
    {
        while (i < s.Length && char.IsWhiteSpace(s[i]))
        {
            i++;
        }
    }
}
