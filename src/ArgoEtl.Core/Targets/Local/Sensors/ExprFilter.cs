namespace ArgoEtl.Core.Targets.Local.Sensors;

/// <summary>An expr filter (upstream ExprFilter): a govaluate expression over <paramref name="Fields"/> taken from the event data.</summary>
public sealed record ExprFilter(string Expr, IReadOnlyList<PayloadField> Fields, string Pointer);
