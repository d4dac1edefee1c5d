using System.Globalization;
using System.Text;

namespace ArgoEtl.Core.Targets.Local.Sensors.Templates;

/// <summary>
/// Go's text/template as Sensors use it (dataTemplate, contextTemplate, data filter templates): text and actions,
/// pipelines with '|', fields (.Input.a.b), variables ($x := ..., $), parenthesised pipelines with fields after them,
/// string/raw/number/bool/nil literals, if/else if/else, range (with $i, $v :=) and with, comments and '{{-'/'-}}'
/// trimming; functions are Go's builtins and sprig's common ones (<see cref="TemplateFunctions"/>). Not implemented:
/// define/template/block, break/continue, methods. A missing map key prints "&lt;no value&gt;" as Go does.
/// </summary>
public sealed class GoTemplate
{
    private readonly List<Node> _nodes;

    private GoTemplate(List<Node> nodes) => _nodes = nodes;

    /// <summary>Parses <paramref name="text"/>; an unknown function is a parse error, as in Go.</summary>
    /// <exception cref="GoTemplateException">The template does not parse.</exception>
    public static GoTemplate Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var pieces = TemplateLexer.Lex(text);
        int at = 0;
        var nodes = ParseList(pieces, ref at, out string? stop, out _);
        if (stop is not null)
        {
            throw new GoTemplateException($"unexpected {{{{{stop}}}}}");
        }

        return new GoTemplate(nodes);
    }

    /// <summary>Executes with <paramref name="data"/> as dot (Go values: see <see cref="GoValue"/>).</summary>
    /// <exception cref="GoTemplateException">Execution failed (wrong types, a nil field access, a function error).</exception>
    public string Execute(object? data)
    {
        var output = new StringBuilder();
        var state = new State(data);
        state.Run(_nodes, data, output);
        return output.ToString();
    }

    /// <summary>Parse and execute with root {"Input": <paramref name="input"/>}, as argo-events does.</summary>
    public static string ExecuteWithInput(string template, object? input) =>
        Parse(template).Execute(new Dictionary<string, object?>(StringComparer.Ordinal) { ["Input"] = input });

    private static List<Node> ParseList(List<(bool IsAction, string Text, List<TemplateToken> Tokens)> pieces, ref int at, out string? stop, out List<TemplateToken>? stopTokens)
    {
        var nodes = new List<Node>();
        while (at < pieces.Count)
        {
            var piece = pieces[at++];
            if (!piece.IsAction)
            {
                nodes.Add(new TextNode(piece.Text));
                continue;
            }

            var tokens = piece.Tokens;
            if (tokens.Count == 0)
            {
                throw new GoTemplateException("missing value for command");
            }

            string? keyword = tokens[0].Kind == TemplateTokenKind.Identifier ? tokens[0].Text : null;
            switch (keyword)
            {
                case "end" or "else":
                    stop = keyword;
                    stopTokens = tokens;
                    return nodes;
                case "if" or "range" or "with":
                    nodes.Add(ParseControl(keyword, tokens.Skip(1).ToList(), pieces, ref at));
                    break;
                case "define" or "template" or "block" or "break" or "continue":
                    throw new GoTemplateException($"{{{{{keyword}}}}} is not supported by the local target's template engine", unsupported: true);
                default:
                    nodes.Add(new ActionNode(ParsePipe(tokens)));
                    break;
            }
        }

        stop = null;
        stopTokens = null;
        return nodes;
    }

    private static ControlNode ParseControl(string keyword, List<TemplateToken> pipeTokens, List<(bool IsAction, string Text, List<TemplateToken> Tokens)> pieces, ref int at)
    {
        var pipe = ParsePipe(pipeTokens);
        var then = ParseList(pieces, ref at, out string? stop, out var stopTokens);
        List<Node>? otherwise = null;
        if (stop == "else")
        {
            if (stopTokens!.Count > 1)
            {
                // "else if ..." / "else with ...": a nested control that shares this one's {{end}}.
                string nested = stopTokens[1].Text;
                if (stopTokens[1].Kind != TemplateTokenKind.Identifier || nested is not ("if" or "with"))
                {
                    throw new GoTemplateException("unexpected tokens after else");
                }

                otherwise = [ParseControl(nested, stopTokens.Skip(2).ToList(), pieces, ref at)];
                return new ControlNode(keyword, pipe, then, otherwise);
            }

            otherwise = ParseList(pieces, ref at, out stop, out _);
        }

        if (stop != "end")
        {
            throw new GoTemplateException($"unexpected EOF: {{{{{keyword}}}}} without {{{{end}}}}");
        }

        return new ControlNode(keyword, pipe, then, otherwise);
    }

    private static Pipe ParsePipe(List<TemplateToken> tokens)
    {
        int at = 0;
        var pipe = ParsePipe(tokens, ref at, nested: false);
        if (at != tokens.Count)
        {
            throw new GoTemplateException($"unexpected \"{tokens[at].Text}\" in command");
        }

        return pipe;
    }

    private static Pipe ParsePipe(List<TemplateToken> tokens, ref int at, bool nested)
    {
        var declared = new List<string>();
        bool assign = false;
        // "$x := ...", "$i, $v := ...", "$x = ...".
        int look = at;
        var names = new List<string>();
        while (look < tokens.Count && tokens[look].Kind == TemplateTokenKind.Variable && tokens[look].Fields.Count == 0)
        {
            names.Add(tokens[look].Text);
            look++;
            if (look < tokens.Count && tokens[look].Kind == TemplateTokenKind.Comma)
            {
                look++;
                continue;
            }

            break;
        }

        if (names.Count > 0 && look < tokens.Count && tokens[look].Kind is TemplateTokenKind.Declare or TemplateTokenKind.Assign)
        {
            assign = tokens[look].Kind == TemplateTokenKind.Assign;
            declared = names;
            at = look + 1;
        }

        var commands = new List<Command>();
        var args = new List<Arg>();
        while (at < tokens.Count)
        {
            var token = tokens[at];
            if (token.Kind == TemplateTokenKind.RightParen && nested)
            {
                break;
            }

            at++;
            switch (token.Kind)
            {
                case TemplateTokenKind.Pipe:
                    if (args.Count == 0)
                    {
                        throw new GoTemplateException("missing command before '|'");
                    }

                    commands.Add(new Command(args));
                    args = [];
                    break;
                case TemplateTokenKind.LeftParen:
                    var inner = ParsePipe(tokens, ref at, nested: true);
                    if (at >= tokens.Count || tokens[at].Kind != TemplateTokenKind.RightParen)
                    {
                        throw new GoTemplateException("unclosed left paren");
                    }

                    at++;
                    IReadOnlyList<string> after = [];
                    if (at < tokens.Count && tokens[at].Kind == TemplateTokenKind.Field && tokens[at].Joined)
                    {
                        after = tokens[at++].Fields;
                    }

                    args.Add(new PipeArg(inner, after));
                    break;
                case TemplateTokenKind.Field:
                    args.Add(new FieldArg(null, token.Fields));
                    break;
                case TemplateTokenKind.Variable:
                    args.Add(new FieldArg(token.Text, token.Fields));
                    break;
                case TemplateTokenKind.String:
                    args.Add(new LiteralArg(token.Text));
                    break;
                case TemplateTokenKind.Number:
                    args.Add(new LiteralArg(ParseNumber(token.Text)));
                    break;
                case TemplateTokenKind.Identifier:
                    args.Add(token.Text switch
                    {
                        "true" => new LiteralArg(true),
                        "false" => new LiteralArg(false),
                        "nil" => new LiteralArg(null),
                        _ when TemplateFunctions.Exists(token.Text) => new FunctionArg(token.Text),
                        _ when TemplateFunctions.IsSprigName(token.Text) => throw new GoTemplateException($"the sprig function \"{token.Text}\" is not implemented by the local target", unsupported: true),
                        _ => throw new GoTemplateException($"function \"{token.Text}\" not defined"),
                    });
                    break;
                default:
                    throw new GoTemplateException($"unexpected \"{token.Text}\" in command");
            }
        }

        if (args.Count == 0)
        {
            throw new GoTemplateException("missing value for command");
        }

        commands.Add(new Command(args));
        return new Pipe(declared, assign, commands);
    }

    private static object ParseNumber(string text)
    {
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l))
        {
            return l;
        }

        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && long.TryParse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out long hex))
        {
            return hex;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d))
        {
            return d;
        }

        throw new GoTemplateException($"bad number syntax: \"{text}\"");
    }

    private abstract record Node;

    private sealed record TextNode(string Text) : Node;

    private sealed record ActionNode(Pipe Pipe) : Node;

    private sealed record ControlNode(string Keyword, Pipe Pipe, List<Node> Then, List<Node>? Else) : Node;

    private sealed record Pipe(List<string> Declared, bool IsAssign, List<Command> Commands);

    private sealed record Command(List<Arg> Args);

    private abstract record Arg;

    /// <summary>A field chain from dot (Variable null) or from a variable ("$x.a").</summary>
    private sealed record FieldArg(string? Variable, IReadOnlyList<string> Fields) : Arg;

    private sealed record LiteralArg(object? Value) : Arg;

    private sealed record FunctionArg(string Name) : Arg;

    private sealed record PipeArg(Pipe Pipe, IReadOnlyList<string> Fields) : Arg;

    /// <summary>A missing map key: prints "&lt;no value&gt;", and a field of it is missing too (not an error).</summary>
    private sealed class MissingValue
    {
        public static readonly MissingValue Instance = new();
    }

    private sealed class State(object? root)
    {
        private readonly List<(string Name, object? Value)> _variables = [("$", root)];

        public void Run(List<Node> nodes, object? dot, StringBuilder output)
        {
            foreach (var node in nodes)
            {
                switch (node)
                {
                    case TextNode text:
                        output.Append(text.Text);
                        break;
                    case ActionNode action:
                        object? value = EvalPipe(action.Pipe, dot);
                        if (action.Pipe.Declared.Count == 0)
                        {
                            output.Append(value is null ? "<no value>" : GoValue.Print(value));
                        }

                        break;
                    case ControlNode control:
                        RunControl(control, dot, output);
                        break;
                }
            }
        }

        private void RunControl(ControlNode control, object? dot, StringBuilder output)
        {
            int mark = _variables.Count;
            try
            {
                if (control.Keyword == "range")
                {
                    RunRange(control, dot, output);
                    return;
                }

                object? value = EvalPipe(control.Pipe, dot);
                if (GoValue.IsTrue(value))
                {
                    Run(control.Then, control.Keyword == "with" ? value : dot, output);
                }
                else if (control.Else is not null)
                {
                    Run(control.Else, dot, output);
                }
            }
            finally
            {
                _variables.RemoveRange(mark, _variables.Count - mark);
            }
        }

        private void RunRange(ControlNode control, object? dot, StringBuilder output)
        {
            var pipe = control.Pipe with { Declared = [] };
            object? value = EvalPipe(pipe, dot);
            var items = new List<(object? Key, object? Value)>();
            switch (value)
            {
                case null:
                    break;
                case IList<object?> list:
                    for (int i = 0; i < list.Count; i++)
                    {
                        items.Add(((long)i, list[i]));
                    }

                    break;
                case IDictionary<string, object?> map:
                    items.AddRange(map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => ((object?)p.Key, p.Value)));
                    break;
                case long count:
                    for (long i = 0; i < count; i++)
                    {
                        items.Add((i, i));
                    }

                    break;
                default:
                    throw new GoTemplateException($"range can't iterate over {GoValue.Print(value)}");
            }

            if (items.Count == 0)
            {
                if (control.Else is not null)
                {
                    Run(control.Else, dot, output);
                }

                return;
            }

            int mark = _variables.Count;
            foreach (var (key, item) in items)
            {
                _variables.RemoveRange(mark, _variables.Count - mark);
                if (control.Pipe.Declared.Count == 1)
                {
                    _variables.Add((control.Pipe.Declared[0], item));
                }
                else if (control.Pipe.Declared.Count == 2)
                {
                    _variables.Add((control.Pipe.Declared[0], key));
                    _variables.Add((control.Pipe.Declared[1], item));
                }

                Run(control.Then, item, output);
            }
        }

        private object? EvalPipe(Pipe pipe, object? dot)
        {
            object? value = null;
            bool hasValue = false;
            foreach (var command in pipe.Commands)
            {
                value = EvalCommand(command, dot, hasValue, value);
                hasValue = true;
                // Go digs an interface{} result down to what it holds: a missing key becomes plain nil here.
                if (value is MissingValue)
                {
                    value = null;
                }
            }

            foreach (string name in pipe.Declared)
            {
                if (pipe.IsAssign)
                {
                    int index = _variables.FindLastIndex(v => v.Name == name);
                    if (index < 0)
                    {
                        throw new GoTemplateException($"undefined variable: {name}");
                    }

                    _variables[index] = (name, value);
                }
                else
                {
                    _variables.Add((name, value));
                }
            }

            return value;
        }

        private object? EvalCommand(Command command, object? dot, bool hasFinal, object? final)
        {
            var first = command.Args[0];
            if (first is FunctionArg function)
            {
                var rest = command.Args.Skip(1);
                if (function.Name is "and" or "or")
                {
                    return ShortCircuit(function.Name, rest, dot, hasFinal, final);
                }

                var args = rest.Select(a => Normalize(EvalArg(a, dot))).ToList();
                if (hasFinal)
                {
                    args.Add(final);
                }

                return TemplateFunctions.Call(function.Name, args);
            }

            if (command.Args.Count > 1 || hasFinal)
            {
                throw new GoTemplateException($"can't give argument to non-function {Describe(first)}");
            }

            return EvalArg(first, dot);
        }

        private object? ShortCircuit(string name, IEnumerable<Arg> args, object? dot, bool hasFinal, object? final)
        {
            var values = args.Select(a => (Func<object?>)(() => Normalize(EvalArg(a, dot)))).ToList();
            if (hasFinal)
            {
                values.Add(() => final);
            }

            if (values.Count == 0)
            {
                throw new GoTemplateException($"wrong number of args for {name}: want at least 1 got 0");
            }

            object? value = null;
            foreach (var next in values)
            {
                value = next();
                if (GoValue.IsTrue(value) == (name == "or"))
                {
                    return value;
                }
            }

            return value;
        }

        private object? EvalArg(Arg arg, object? dot) => arg switch
        {
            LiteralArg literal => literal.Value,
            FunctionArg function => TemplateFunctions.Call(function.Name, []),
            FieldArg { Variable: null } field => Chain(dot, field.Fields),
            FieldArg field => Chain(Variable(field.Variable!), field.Fields),
            PipeArg pipe => Chain(EvalPipe(pipe.Pipe, dot), pipe.Fields),
            _ => throw new GoTemplateException("unexpected argument"),
        };

        private object? Variable(string name)
        {
            int index = _variables.FindLastIndex(v => v.Name == name);
            return index < 0 ? throw new GoTemplateException($"undefined variable \"{name}\"") : _variables[index].Value;
        }

        private static object? Chain(object? receiver, IReadOnlyList<string> fields)
        {
            foreach (string field in fields)
            {
                receiver = receiver switch
                {
                    MissingValue => receiver,
                    null => throw new GoTemplateException($"nil pointer evaluating interface {{}}.{field}"),
                    IDictionary<string, object?> map => map.TryGetValue(field, out var v) ? v : MissingValue.Instance,
                    _ => throw new GoTemplateException($"can't evaluate field {field} in type {TemplateFunctions.GoTypeName(receiver)}"),
                };
            }

            return receiver;
        }

        private static object? Normalize(object? value) => value is MissingValue ? null : value;

        private static string Describe(Arg arg) => arg switch
        {
            FieldArg f => (f.Variable ?? string.Empty) + "." + string.Join('.', f.Fields),
            LiteralArg l => GoValue.Print(l.Value),
            _ => "(pipeline)",
        };
    }
}
