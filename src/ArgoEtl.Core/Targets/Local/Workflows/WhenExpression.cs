using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ArgoEtl.Core.Targets.Local.Workflows;

/// <summary>
/// The subset of govaluate that Argo's `when` uses, evaluated after variables are substituted: literals (numbers,
/// 'quoted' or "quoted" strings, true/false, and bare words, which count as strings so "heads == heads" works as in
/// Argo's examples), == != &lt; &gt; &lt;= &gt;= =~ !~, &amp;&amp; || ! and parentheses. Numbers compare as numbers;
/// a number never equals a string.
/// </summary>
internal sealed class WhenExpression
{
    private readonly List<string> _tokens;
    private readonly string _text;
    private int _at;

    private WhenExpression(string text)
    {
        _text = text;
        _tokens = Tokenize(text);
    }

    /// <summary>Whether <paramref name="text"/> holds; throws LocalBadWhen naming the expression when it cannot be read.</summary>
    public static bool Evaluate(string text)
    {
        var parser = new WhenExpression(text);
        object value = parser.Or();
        if (parser._at != parser._tokens.Count)
        {
            throw parser.Bad($"unexpected '{parser._tokens[parser._at]}'");
        }

        return value is bool b ? b : throw parser.Bad("the result is not true or false");
    }

    private object Or()
    {
        object left = And();
        while (Accept("||"))
        {
            object right = And();
            left = Bool(left) || Bool(right);
        }

        return left;
    }

    private object And()
    {
        object left = Unary();
        while (Accept("&&"))
        {
            object right = Unary();
            left = Bool(left) && Bool(right);
        }

        return left;
    }

    private object Unary() => Accept("!") ? !Bool(Unary()) : Comparison();

    private object Comparison()
    {
        object left = Primary();
        foreach (string op in (string[])["==", "!=", "<=", ">=", "<", ">", "=~", "!~"])
        {
            if (Accept(op))
            {
                object right = Primary();
                return op switch
                {
                    "==" => Equal(left, right),
                    "!=" => !Equal(left, right),
                    "=~" => Regex.IsMatch(Text(left), Text(right), RegexOptions.None, TimeSpan.FromSeconds(1)),
                    "!~" => !Regex.IsMatch(Text(left), Text(right), RegexOptions.None, TimeSpan.FromSeconds(1)),
                    _ => Order(op, left, right),
                };
            }
        }

        return left;
    }

    private object Primary()
    {
        if (_at >= _tokens.Count)
        {
            throw Bad("it ends too early");
        }

        string token = _tokens[_at++];
        if (token == "(")
        {
            object inner = Or();
            return Accept(")") ? inner : throw Bad("a ')' is missing");
        }

        if (token.Length >= 2 && token[0] is '\'' or '"' && token[^1] == token[0])
        {
            return token[1..^1];
        }

        if (token is "true" or "false")
        {
            return token == "true";
        }

        if (double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double number))
        {
            return number;
        }

        if (token is "==" or "!=" or "<" or ">" or "<=" or ">=" or "&&" or "||" or ")" or "=~" or "!~")
        {
            throw Bad($"a value is missing before '{token}'");
        }

        return token;
    }

    private bool Order(string op, object left, object right)
    {
        int c = (left, right) switch
        {
            (double a, double b) => a.CompareTo(b),
            (string a, string b) => string.CompareOrdinal(a, b),
            _ => throw Bad($"'{op}' compares a number with a string"),
        };
        return op switch { "<" => c < 0, ">" => c > 0, "<=" => c <= 0, _ => c >= 0 };
    }

    private static bool Equal(object left, object right) => (left, right) switch
    {
        (double a, double b) => a == b,
        (string a, string b) => a == b,
        (bool a, bool b) => a == b,
        _ => false,
    };

    private static string Text(object value) => value switch
    {
        double d => d.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => (string)value,
    };

    private bool Bool(object value) => value is bool b ? b : throw Bad($"'{Text(value)}' is not true or false");

    private bool Accept(string token)
    {
        if (_at < _tokens.Count && _tokens[_at] == token)
        {
            _at++;
            return true;
        }

        return false;
    }

    private EtlException Bad(string why) => new("LocalBadWhen", EtlErrorKind.InvalidArgument, $"when '{_text}' cannot be evaluated: {why}.",
        "Write comparisons like \"{{steps.a.outputs.result}} == heads\" or \"{{inputs.parameters.n}} > 3\", joined with && || !.", _text);

    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            if (c is '(' or ')')
            {
                tokens.Add(c.ToString());
                i++;
                continue;
            }

            string two = i + 1 < text.Length ? text.Substring(i, 2) : string.Empty;
            if (two is "==" or "!=" or "<=" or ">=" or "&&" or "||" or "=~" or "!~")
            {
                tokens.Add(two);
                i += 2;
                continue;
            }

            if (c is '<' or '>' or '!')
            {
                tokens.Add(c.ToString());
                i++;
                continue;
            }

            if (c is '\'' or '"')
            {
                int end = text.IndexOf(c, i + 1);
                if (end < 0)
                {
                    end = text.Length - 1;
                }

                tokens.Add(text[i..(end + 1)]);
                i = end + 1;
                continue;
            }

            var word = new StringBuilder();
            while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('(' or ')' or '=' or '!' or '<' or '>' or '&' or '|' or '\'' or '"'))
            {
                word.Append(text[i++]);
            }

            if (word.Length == 0)
            {
                word.Append(text[i++]);
            }

            tokens.Add(word.ToString());
        }

        return tokens;
    }
}
