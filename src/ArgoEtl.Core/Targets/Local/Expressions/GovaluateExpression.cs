using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ArgoEtl.Core.Targets.Local.Sensors;

namespace ArgoEtl.Core.Targets.Local.Expressions;

/// <summary>
/// The govaluate (Knetic/govaluate) expressions Sensors use in expr filters and trigger conditions: number (float64),
/// string ('...' or "..."), true/false literals; variables (letters, digits, '_', '.', '\'-escapes, [bracketed names]);
/// parentheses; unary ! - ~; ** * / % + - (a string on either side of + concatenates); comparators == != (Go's
/// DeepEqual: no conversion between types) &lt; &lt;= &gt; &gt;= (two numbers or two strings); =~ !~ (regex);
/// &amp;&amp; || (bools only); ?: and ??; IN over a (a, b, ...) list. Not implemented: functions, date strings, bitwise
/// and shift operators — they are parse errors. Argo Workflows' `when` is the same language read with
/// <see cref="ParseWhen"/>: Argo turns every variable into a string, so "heads == heads" compares two strings.
/// </summary>
public sealed class GovaluateExpression
{
    // Longest first, so "**" is not read as "*".
    private static readonly string[] Operators = ["**", "&&", "||", "==", "!=", ">=", "<=", "=~", "!~", "??", ">", "<", "+", "-", "*", "/", "%", "!", "~", "?", ":", "(", ")", ","];

    private readonly Node _root;

    private GovaluateExpression(string text, Node root)
    {
        Text = text;
        _root = root;
    }

    public string Text { get; }

    /// <summary>The variable names the expression reads.</summary>
    public IReadOnlySet<string> Variables
    {
        get
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            Collect(_root, names);
            return names;
        }
    }

    /// <exception cref="GovaluateException">The expression does not parse.</exception>
    public static GovaluateExpression Parse(string text) => Parse(text, bareWords: false);

    /// <summary>
    /// A Workflow `when` after its {{variables}} are substituted. Argo turns govaluate's variables into strings;
    /// a bare word here is also any run of characters up to a space, quote, parenthesis, comma or comparison/logic
    /// character, so a substituted value such as file-2024.csv or s3://b/k stays one string rather than arithmetic
    /// (the local target kept this from its first `when` reader; Argo would need the value quoted). A run that is
    /// exactly an operator (+, -, ?, :) is still that operator.
    /// </summary>
    /// <exception cref="GovaluateException">The expression does not parse.</exception>
    public static GovaluateExpression ParseWhen(string text) => Parse(text, bareWords: true);

    private static GovaluateExpression Parse(string text, bool bareWords)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = Tokenize(text, bareWords);
        var parser = new Parser(tokens);
        var root = parser.ParseTernary();
        if (!parser.AtEnd)
        {
            throw new GovaluateException($"Unexpected token '{parser.Peek.Text}' in '{text}'");
        }

        return new GovaluateExpression(text, root);
    }

    /// <summary>Evaluates with Go values (double, string, bool, null, maps, lists) as parameters.</summary>
    /// <exception cref="GovaluateException">A parameter is missing or an operator does not fit its operands.</exception>
    public object? Evaluate(IReadOnlyDictionary<string, object?> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return Eval(_root, parameters);
    }

    private static void Collect(Node node, HashSet<string> names)
    {
        switch (node)
        {
            case VariableNode v:
                names.Add(v.Name);
                break;
            case UnaryNode u:
                Collect(u.Operand, names);
                break;
            case BinaryNode b:
                Collect(b.Left, names);
                Collect(b.Right, names);
                break;
            case TernaryNode t:
                Collect(t.Condition, names);
                Collect(t.Then, names);
                Collect(t.Else, names);
                break;
            case ListNode l:
                foreach (var item in l.Items)
                {
                    Collect(item, names);
                }

                break;
        }
    }

    private static object? Eval(Node node, IReadOnlyDictionary<string, object?> parameters)
    {
        switch (node)
        {
            case LiteralNode literal:
                return literal.Value;
            case VariableNode variable:
                return parameters.TryGetValue(variable.Name, out var value) ? value : throw new GovaluateException($"No parameter '{variable.Name}' found.");
            case ListNode list:
                return list.Items.Select(i => Eval(i, parameters)).ToList();
            case TernaryNode ternary:
                object? condition = Eval(ternary.Condition, parameters);
                return condition is bool c
                    ? Eval(c ? ternary.Then : ternary.Else, parameters)
                    : throw TypeError(condition, "?", "bool");
            case UnaryNode unary:
                object? operand = Eval(unary.Operand, parameters);
                return unary.Operator switch
                {
                    "!" => operand is bool b ? !b : throw TypeError(operand, "!", "bool"),
                    "-" => operand is double d ? -d : throw TypeError(operand, "-", "number"),
                    _ => operand is double n ? (double)~(long)n : throw TypeError(operand, "~", "number"),
                };
            case BinaryNode binary:
                return EvalBinary(binary, parameters);
            default:
                throw new GovaluateException("unknown node");
        }
    }

    private static object? EvalBinary(BinaryNode binary, IReadOnlyDictionary<string, object?> parameters)
    {
        string op = binary.Operator;
        object? left = Eval(binary.Left, parameters);
        if (op is "&&" or "||")
        {
            if (left is not bool l)
            {
                throw TypeError(left, op, "bool");
            }

            if (op == "&&" ? !l : l)
            {
                return l;
            }

            object? r = Eval(binary.Right, parameters);
            return r is bool rb ? rb : throw TypeError(r, op, "bool");
        }

        if (op == "??")
        {
            return left ?? Eval(binary.Right, parameters);
        }

        object? right = Eval(binary.Right, parameters);
        switch (op)
        {
            case "==":
                return DeepEqual(left, right);
            case "!=":
                return !DeepEqual(left, right);
            case ">" or ">=" or "<" or "<=":
                int cmp = (left, right) switch
                {
                    (double a, double b) => a.CompareTo(b),
                    (string a, string b) => string.CompareOrdinal(a, b),
                    _ => throw TypeError(left is double or string ? right : left, op, "number or string"),
                };
                return op switch { ">" => cmp > 0, ">=" => cmp >= 0, "<" => cmp < 0, _ => cmp <= 0 };
            case "=~" or "!~":
                if (left is not string subject || right is not string pattern)
                {
                    throw TypeError(left is string ? right : left, op, "string");
                }

                bool match;
                try
                {
                    match = FilterEvaluator.GoRegex(pattern).IsMatch(subject);
                }
                catch (ArgumentException ex)
                {
                    throw new GovaluateException($"Unable to compile regexp pattern '{pattern}': {ex.Message}", ex);
                }

                return op == "=~" ? match : !match;
            case "IN":
                return right is List<object?> items ? items.Any(i => DeepEqual(left, i)) : throw TypeError(right, op, "array");
            case "+":
                if (left is string || right is string)
                {
                    return GoValue.Print(left) + GoValue.Print(right);
                }

                return (left, right) is (double x, double y) ? x + y : throw TypeError(left is double ? right : left, op, "number");
            default:
                if ((left, right) is not (double a1, double b1))
                {
                    throw TypeError(left is double ? right : left, op, "number");
                }

                return op switch
                {
                    "-" => a1 - b1,
                    "*" => a1 * b1,
                    "/" => a1 / b1,
                    "%" => a1 % b1,
                    _ => Math.Pow(a1, b1),
                };
        }
    }

    private static bool DeepEqual(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (null, _) or (_, null) => false,
        (IList<object?> x, IList<object?> y) => x.Count == y.Count && x.Zip(y).All(p => DeepEqual(p.First, p.Second)),
        (IDictionary<string, object?> x, IDictionary<string, object?> y) => x.Count == y.Count && x.All(p => y.TryGetValue(p.Key, out var v) && DeepEqual(p.Value, v)),
        _ => a.GetType() == b.GetType() && a.Equals(b),
    };

    private static GovaluateException TypeError(object? value, string op, string expected) =>
        new($"Value '{GoValue.Print(value)}' cannot be used with the operator '{op}', it is not a {expected}");

    private static List<Token> Tokenize(string text, bool bareWords)
    {
        var tokens = new List<Token>();
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            if (bareWords && IsBareWordChar(c))
            {
                int start = i;
                while (i < text.Length && IsBareWordChar(text[i]))
                {
                    i++;
                }

                tokens.Add(BareWord(text, text[start..i], i));
                continue;
            }

            if (char.IsDigit(c) || (c == '.' && i + 1 < text.Length && char.IsDigit(text[i + 1])))
            {
                int start = i;
                if (c == '0' && i + 1 < text.Length && text[i + 1] is 'x' or 'X')
                {
                    i += 2;
                    while (i < text.Length && Uri.IsHexDigit(text[i]))
                    {
                        i++;
                    }

                    tokens.Add(new Token(TokenKind.Literal, text[start..i], (double)long.Parse(text.AsSpan(start + 2, i - start - 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
                    continue;
                }

                while (i < text.Length && (char.IsDigit(text[i]) || text[i] == '.'))
                {
                    i++;
                }

                string number = text[start..i];
                tokens.Add(new Token(TokenKind.Literal, number, double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d : throw new GovaluateException($"Unable to parse numeric value '{number}'")));
                continue;
            }

            if (c is '"' or '\'')
            {
                var sb = new StringBuilder();
                i++;
                while (i < text.Length && text[i] != c)
                {
                    if (text[i] == '\\' && i + 1 < text.Length)
                    {
                        i++;
                    }

                    sb.Append(text[i++]);
                }

                if (i >= text.Length)
                {
                    throw new GovaluateException($"Unclosed string literal in '{text}'");
                }

                i++;
                tokens.Add(new Token(TokenKind.Literal, sb.ToString(), sb.ToString()));
                continue;
            }

            if (c == '[')
            {
                int close = text.IndexOf(']', i + 1);
                if (close < 0)
                {
                    throw new GovaluateException($"Unclosed parameter bracket in '{text}'");
                }

                tokens.Add(new Token(TokenKind.Variable, text[(i + 1)..close], null));
                i = close + 1;
                continue;
            }

            if (char.IsLetter(c) || c == '_' || c == '\\')
            {
                var sb = new StringBuilder();
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '.' or '\\'))
                {
                    if (text[i] == '\\' && i + 1 < text.Length)
                    {
                        i++;
                    }

                    sb.Append(text[i++]);
                }

                string word = sb.ToString();
                if (i < text.Length && text[i] == '(' && word is not ("IN" or "in"))
                {
                    throw new GovaluateException($"govaluate functions are not supported by the local target: '{word}(' in '{text}'", unsupported: true);
                }

                tokens.Add(word switch
                {
                    "true" => new Token(TokenKind.Literal, word, true),
                    "false" => new Token(TokenKind.Literal, word, false),
                    "IN" or "in" => new Token(TokenKind.Operator, "IN", null),
                    _ => new Token(TokenKind.Variable, word, null),
                });
                continue;
            }

            string? op = Operators.FirstOrDefault(o => string.CompareOrdinal(text, i, o, 0, o.Length) == 0);
            if (op is null || (op is "<" or ">" && i + 1 < text.Length && text[i + 1] == text[i]))
            {
                throw new GovaluateException($"'{c}' in '{text}': govaluate's bitwise and shift operators are not supported by the local target", unsupported: op is not null || c is '&' or '|' or '^');
            }

            tokens.Add(new Token(TokenKind.Operator, op, null));
            i += op.Length;
        }

        return tokens;
    }

    private static bool IsBareWordChar(char c) =>
        !char.IsWhiteSpace(c) && c is not ('(' or ')' or ',' or '=' or '!' or '<' or '>' or '&' or '|' or '\'' or '"');

    private static Token BareWord(string text, string word, int next)
    {
        if (Operators.Contains(word, StringComparer.Ordinal))
        {
            return new Token(TokenKind.Operator, word, null);
        }

        if (next < text.Length && text[next] == '(')
        {
            throw new GovaluateException($"govaluate functions are not supported by the local target: '{word}(' in '{text}'", unsupported: true);
        }

        return word switch
        {
            "true" => new Token(TokenKind.Literal, word, true),
            "false" => new Token(TokenKind.Literal, word, false),
            "IN" or "in" => new Token(TokenKind.Operator, "IN", null),
            _ when double.TryParse(word, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) => new Token(TokenKind.Literal, word, number),
            _ => new Token(TokenKind.Literal, word, word),
        };
    }

    private enum TokenKind
    {
        Literal,
        Variable,
        Operator,
    }

    private sealed record Token(TokenKind Kind, string Text, object? Value);

    private abstract record Node;

    private sealed record LiteralNode(object? Value) : Node;

    private sealed record VariableNode(string Name) : Node;

    private sealed record ListNode(List<Node> Items) : Node;

    private sealed record UnaryNode(string Operator, Node Operand) : Node;

    private sealed record BinaryNode(string Operator, Node Left, Node Right) : Node;

    private sealed record TernaryNode(Node Condition, Node Then, Node Else) : Node;

    private sealed class Parser(List<Token> tokens)
    {
        private int _at;

        public bool AtEnd => _at >= tokens.Count;

        public Token Peek => tokens[_at];

        public Node ParseTernary()
        {
            var condition = ParseCoalesce();
            if (Accept("?"))
            {
                var then = ParseTernary();
                Expect(":");
                var otherwise = ParseTernary();
                return new TernaryNode(condition, then, otherwise);
            }

            return condition;
        }

        private Node ParseCoalesce() => Left(ParseOr, "??");

        private Node ParseOr() => Left(ParseAnd, "||");

        private Node ParseAnd() => Left(ParseComparison, "&&");

        private Node ParseComparison() => Left(ParseAdditive, "==", "!=", ">", ">=", "<", "<=", "=~", "!~", "IN");

        private Node ParseAdditive() => Left(ParseMultiplicative, "+", "-");

        private Node ParseMultiplicative() => Left(ParseExponent, "*", "/", "%");

        private Node ParseExponent() => Left(ParseUnary, "**");

        private Node ParseUnary()
        {
            if (!AtEnd && Peek.Kind == TokenKind.Operator && Peek.Text is "!" or "-" or "~")
            {
                string op = tokens[_at++].Text;
                return new UnaryNode(op, ParseUnary());
            }

            return ParseValue();
        }

        private Node ParseValue()
        {
            if (AtEnd)
            {
                throw new GovaluateException("Unexpected end of expression");
            }

            var token = tokens[_at++];
            switch (token.Kind)
            {
                case TokenKind.Literal:
                    return new LiteralNode(token.Value);
                case TokenKind.Variable:
                    return new VariableNode(token.Text);
                case TokenKind.Operator when token.Text == "(":
                    var first = ParseTernary();
                    if (Accept(","))
                    {
                        var items = new List<Node> { first };
                        do
                        {
                            items.Add(ParseTernary());
                        }
                        while (Accept(","));
                        Expect(")");
                        return new ListNode(items);
                    }

                    Expect(")");
                    return first;
                default:
                    throw new GovaluateException($"Unexpected token '{token.Text}'");
            }
        }

        private Node Left(Func<Node> next, params string[] operators)
        {
            var left = next();
            while (!AtEnd && Peek.Kind == TokenKind.Operator && operators.Contains(Peek.Text))
            {
                string op = tokens[_at++].Text;
                var right = next();
                // IN over a single parenthesised value is a one-item list.
                if (op == "IN" && right is LiteralNode)
                {
                    right = new ListNode([right]);
                }

                left = new BinaryNode(op, left, right);
            }

            return left;
        }

        private bool Accept(string op)
        {
            if (!AtEnd && Peek.Kind == TokenKind.Operator && Peek.Text == op)
            {
                _at++;
                return true;
            }

            return false;
        }

        private void Expect(string op)
        {
            if (!Accept(op))
            {
                throw new GovaluateException(AtEnd ? $"Expected '{op}' at the end of the expression" : $"Expected '{op}' but found '{Peek.Text}'");
            }
        }
    }
}
