namespace ArgoEtl.Etl.Transform;

/// <summary>Receives the rows left out under <see cref="BadRowMode.Skip"/>, each with why.</summary>
public interface IRejectSink
{
    void Reject(long line, string? column, string reason, ReadOnlySpan<char> rowText);
}
