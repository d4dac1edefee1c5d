namespace ArgoEtl.Testing;

/// <summary>An external program the tests start, and the Debian package that provides it.</summary>
/// <param name="Binary">Its absolute path when it must be the Debian one; null when any on PATH will do.</param>
public sealed record Requirement(string Program, string? Binary, string Package);
