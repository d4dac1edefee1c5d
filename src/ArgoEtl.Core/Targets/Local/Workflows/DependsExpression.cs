using ArgoEtl.Core.Runs;

namespace ArgoEtl.Core.Targets.Local.Workflows;

/// <summary>
/// A DAG task's `depends`: operands "task" or "task.Result" (Succeeded, Failed, Errored, Skipped, Omitted, Daemoned,
/// Completed, AnySucceeded, AllFailed) joined with &amp;&amp; || ! and parentheses. A bare "task" means
/// (task.Succeeded || task.Skipped || task.Daemoned), as Argo's enhanced depends logic defines it.
/// `dependencies: [a, b]` is "a &amp;&amp; b".
/// </summary>
internal sealed class DependsExpression
{
    private readonly List<string> _tokens;
    private readonly string _text;
    private int _at;

    public DependsExpression(string text)
    {
        _text = text;
        _tokens = Tokenize(text);
        Operands = [.. _tokens.Where(t => t is not ("&&" or "||" or "!" or "(" or ")")).Select(t => Split(t).Task).Distinct(StringComparer.Ordinal)];
        Handled = [.. _tokens.Select(Split).Where(o => o.Result is "Failed" or "Errored" or "Completed" or "AnySucceeded" or "AllFailed").Select(o => o.Task).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The tasks named, which must all be done before this can be evaluated.</summary>
    public IReadOnlyList<string> Operands { get; }

    /// <summary>Tasks whose failure this expression looks at: their failure does not fail the DAG by itself.</summary>
    public IReadOnlyList<string> Handled { get; }

    public override string ToString() => _text;

    /// <summary>Evaluates with each task's phase and, for loops, its children's phases.</summary>
    public bool Evaluate(Func<string, (EtlRunPhase Phase, IReadOnlyList<EtlRunPhase> Children)> task)
    {
        _at = 0;
        bool value = Or(task);
        return _at == _tokens.Count ? value : throw Bad($"unexpected '{_tokens[_at]}'");
    }

    private bool Or(Func<string, (EtlRunPhase, IReadOnlyList<EtlRunPhase>)> task)
    {
        bool left = And(task);
        while (Accept("||"))
        {
            left = And(task) | left;
        }

        return left;
    }

    private bool And(Func<string, (EtlRunPhase, IReadOnlyList<EtlRunPhase>)> task)
    {
        bool left = Unary(task);
        while (Accept("&&"))
        {
            left = Unary(task) & left;
        }

        return left;
    }

    private bool Unary(Func<string, (EtlRunPhase, IReadOnlyList<EtlRunPhase>)> task)
    {
        if (Accept("!"))
        {
            return !Unary(task);
        }

        if (Accept("("))
        {
            bool inner = Or(task);
            return Accept(")") ? inner : throw Bad("a ')' is missing");
        }

        if (_at >= _tokens.Count)
        {
            throw Bad("it ends too early");
        }

        var (name, result) = Split(_tokens[_at++]);
        var (phase, children) = task(name);
        return result switch
        {
            null => phase is EtlRunPhase.Succeeded or EtlRunPhase.Skipped,
            "Succeeded" => phase == EtlRunPhase.Succeeded,
            "Failed" => phase == EtlRunPhase.Failed,
            "Errored" => phase == EtlRunPhase.Error,
            "Skipped" => phase == EtlRunPhase.Skipped,
            "Omitted" => phase == EtlRunPhase.Omitted,
            "Daemoned" => false,
            "Completed" => phase is EtlRunPhase.Succeeded or EtlRunPhase.Failed,
            "AnySucceeded" => children.Any(c => c == EtlRunPhase.Succeeded),
            "AllFailed" => children.Count > 0 && children.All(c => c == EtlRunPhase.Failed),
            _ => throw Bad($"'.{result}' is not a task result (Succeeded, Failed, Errored, Skipped, Omitted, Daemoned, Completed, AnySucceeded, AllFailed)"),
        };
    }

    private static (string Task, string? Result) Split(string operand)
    {
        int dot = operand.LastIndexOf('.');
        return dot > 0 && operand[(dot + 1)..] is "Succeeded" or "Failed" or "Errored" or "Skipped" or "Omitted" or "Daemoned" or "Completed" or "AnySucceeded" or "AllFailed"
            ? (operand[..dot], operand[(dot + 1)..])
            : (operand, null);
    }

    private bool Accept(string token)
    {
        if (_at < _tokens.Count && _tokens[_at] == token)
        {
            _at++;
            return true;
        }

        return false;
    }

    private EtlException Bad(string why) => new(EtlErrors.LocalBadDepends, $"depends '{_text}' cannot be read: {why}.",
        "Write it like \"a && (b.Failed || c.Skipped)\".", _text);

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
            }
            else if (c is '(' or ')' or '!')
            {
                tokens.Add(c.ToString());
                i++;
            }
            else if (i + 1 < text.Length && text.Substring(i, 2) is "&&" or "||")
            {
                tokens.Add(text.Substring(i, 2));
                i += 2;
            }
            else
            {
                int start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '-' or '_' or '.'))
                {
                    i++;
                }

                if (i == start)
                {
                    throw new EtlException(EtlErrors.LocalBadDepends, $"depends '{text}' cannot be read: unexpected '{c}'.",
                        "Write it like \"a && (b.Failed || c.Skipped)\".", text);
                }

                tokens.Add(text[start..i]);
            }
        }

        return tokens;
    }
}
