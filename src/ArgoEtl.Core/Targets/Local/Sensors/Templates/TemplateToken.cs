namespace ArgoEtl.Core.Targets.Local.Sensors.Templates;

internal enum TemplateTokenKind
{
    Field,      // .a.b (Text holds "a.b"; "" for the dot itself)
    Variable,   // $x.a (Text holds "$x", Fields the chain)
    Identifier, // a function or keyword
    String,
    Number,
    Pipe,
    LeftParen,
    RightParen,
    Declare,    // :=
    Assign,     // =
    Comma,
}

/// <summary>One token of an action; <paramref name="Joined"/> when no space precedes it ("(x).field").</summary>
internal sealed record TemplateToken(TemplateTokenKind Kind, string Text, IReadOnlyList<string> Fields, bool Joined);
