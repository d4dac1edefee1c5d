using System.Text.RegularExpressions;

namespace ArgoEtl.Tests.Errors;

/// <summary>
/// Keeps the one list of error codes (EtlErrors) and the throw sites in step: every code thrown in src/ is in the list,
/// every entry is thrown somewhere, and the help topic has something to say about each.
/// </summary>
public sealed partial class ErrorCatalogTests
{
    private const string CatalogFile = "src/ArgoEtl.Etl/Errors/EtlErrors.cs";

    [Fact]
    public void Every_code_thrown_in_src_is_in_the_catalog()
    {
        var problems = new List<string>();
        foreach (var (file, line, code) in LiteralCodes())
        {
            problems.Add(EtlErrors.Find(code) is null
                ? $"{file}:{line}: code '{code}' is not in the catalog; add it to {CatalogFile} (code, kind, meaning, what to do) and throw with EtlErrors.{code}."
                : $"{file}:{line}: code '{code}' is given as a string; throw with EtlErrors.{code}.");
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Every_catalog_entry_is_thrown_somewhere()
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (file, text) in Sources())
        {
            if (file == CatalogFile)
            {
                continue;
            }

            foreach (Match m in CatalogReference().Matches(text))
            {
                used.Add(m.Groups["code"].Value);
            }
        }

        var unused = EtlErrors.All.Where(e => !used.Contains(e.Code)).Select(e => $"{CatalogFile}: entry '{e.Code}' is used by no throw site in src/; remove it or use it.");
        Assert.Empty(unused);
    }

    [Fact]
    public void Every_entry_has_its_own_code_a_meaning_and_advice()
    {
        Assert.True(EtlErrors.All.Count > 150);
        foreach (var error in EtlErrors.All)
        {
            Assert.Matches("^[A-Z][A-Za-z0-9]+$", error.Code);
            Assert.False(string.IsNullOrWhiteSpace(error.Meaning), error.Code);
            Assert.False(string.IsNullOrWhiteSpace(error.WhatToDo), error.Code);
            Assert.EndsWith(".", error.Meaning, StringComparison.Ordinal);
            Assert.Same(error, EtlErrors.Find(error.Code));
        }
    }

    [Fact]
    public void A_catalog_error_carries_its_code_kind_and_general_advice_when_the_site_gives_none()
    {
        var ex = new EtlException(EtlErrors.YamlDuplicateKey, "k8s/sensor.yaml:7: key 'name' is already given on line 5.");
        Assert.Equal("YamlDuplicateKey", ex.Code);
        Assert.Equal(EtlErrorKind.InvalidData, ex.Kind);
        Assert.Equal(EtlErrors.YamlDuplicateKey.WhatToDo, ex.Suggestion);

        var specific = new EtlException(EtlErrors.InputReadFailed, EtlErrorKind.Connection, "lost", "retry");
        Assert.Equal(EtlErrorKind.Connection, specific.Kind);
        Assert.Equal("retry", specific.Suggestion);
    }

    /// <summary>Codes written as string literals where an EtlException or an ErrorRecord is made.</summary>
    private static IEnumerable<(string File, int Line, string Code)> LiteralCodes()
    {
        foreach (var (file, text) in Sources())
        {
            foreach (Match m in LiteralCode().Matches(text))
            {
                int line = 1 + text.AsSpan(0, m.Index).Count('\n');
                yield return (file, line, m.Groups["code"].Value);
            }
        }
    }

    private static IEnumerable<(string File, string Text)> Sources()
    {
        string root = ArgoEtl.Testing.Substrates.RepoRoot;
        foreach (string path in Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(root, path).Replace('\\', '/');
            if (relative.Contains("/obj/", StringComparison.Ordinal) || relative.Contains("/bin/", StringComparison.Ordinal))
            {
                continue;
            }

            yield return (relative, File.ReadAllText(path));
        }
    }

    // new EtlException("X", ...), a target-typed new("X", EtlErrorKind...) and ErrorRecords.Create("X", ...).
    [GeneratedRegex(@"(?:new\s+(?:ArgoEtl\.)?EtlException\(\s*|ErrorRecords\.Create\(\s*|\bnew\(\s*(?=""[^""]+"",\s*EtlErrorKind))""(?<code>[^""]+)""")]
    private static partial Regex LiteralCode();

    [GeneratedRegex(@"\bEtlErrors\.(?<code>[A-Z][A-Za-z0-9]*)\b")]
    private static partial Regex CatalogReference();
}
