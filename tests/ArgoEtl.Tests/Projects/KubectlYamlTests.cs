using System.Text.Json.Nodes;
using ArgoEtl.Core.Projects;

namespace ArgoEtl.Tests.Projects;

/// <summary>
/// YAML that kubectl and argo lint read (go-yaml) must read here too: the pattern of Argo's examples (ci.yaml,
/// ci-output-artifact.yaml, ...) is a flow sequence holding a multi-line double-quoted scalar whose closing line is
/// indented like its key, which YamlDotNet alone refuses. Values are what go-yaml gives; line numbers stay.
/// </summary>
public sealed class KubectlYamlTests
{
    // The shape of argo-workflows examples/ci.yaml's build step.
    private const string CiStep = """
        apiVersion: argoproj.io/v1alpha1
        kind: Workflow
        metadata:
          generateName: ci-example-
        spec:
          entrypoint: build
          templates:
          - name: build
            container:
              image: golang:1.8
              command: [sh, -c]
              args: ["
                cd /go/src/github.com/golang/example/hello &&
                git status &&
                go build -v .
              "]
              volumeMounts:
              - name: workdir
                mountPath: /go
        """;

    [Fact]
    public void A_quoted_scalar_closed_at_its_keys_indentation_reads_as_go_yaml_reads_it()
    {
        var docs = YamlFile.Parse(CiStep, "ci.yaml");
        var lines = new Dictionary<string, int>();
        var json = (JsonObject)YamlFile.ToJson(docs.Single().Root, lines)!;
        var container = json["spec"]!["templates"]![0]!["container"]!;

        // Line folding: each break between non-empty lines becomes one space, leading white space is dropped.
        Assert.Equal(" cd /go/src/github.com/golang/example/hello && git status && go build -v . ", (string?)container["args"]![0]);
        Assert.Equal("workdir", (string?)container["volumeMounts"]![0]!["name"]);

        // Only spaces are added: what follows keeps its line (volumeMounts' first item is line 18 of the file).
        Assert.Equal(18, lines["/spec/templates/0/container/volumeMounts/0/name"]);
    }

    [Fact]
    public void Several_such_scalars_and_a_closing_line_at_column_one_are_read()
    {
        const string text = """
            steps:
              - args: ["
                  uname -a ;
                  cat /etc/os-release
                ", "
              second
            "]
                other: "one
              line \
              joined"
            """;
        var root = (JsonObject)YamlFile.ToJson(YamlFile.Parse(text, "steps.yaml").Single().Root)!;
        var step = root["steps"]![0]!;
        Assert.Equal(" uname -a ; cat /etc/os-release ", (string?)step["args"]![0]);
        Assert.Equal(" second ", (string?)step["args"]![1]);

        // An escaped line break adds nothing, and the next line's indentation is dropped.
        Assert.Equal("one line joined", (string?)step["other"]);
    }

    [Fact]
    public void A_duplicate_key_after_a_repaired_scalar_is_still_refused_with_its_line()
    {
        string text = CiStep + "\n      image: again\n";
        var ex = Assert.Throws<EtlException>(() => YamlFile.Parse(text, "ci.yaml"));
        Assert.Equal("YamlDuplicateKey", ex.Code);
        Assert.StartsWith("ci.yaml:20:", ex.Message, StringComparison.Ordinal);
        Assert.Contains("line 10", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unterminated_quoted_scalar_is_still_a_syntax_error()
    {
        const string text = """
            args: ["
              never closed
            """;
        var ex = Assert.Throws<EtlException>(() => YamlFile.Parse(text, "bad.yaml"));
        Assert.Equal("YamlSyntaxError", ex.Code);
        Assert.StartsWith("bad.yaml:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mark_that_is_not_a_double_quote_repairs_nothing()
    {
        Assert.Null(QuotedScalarIndentation.Indent("a: 'x\ny'\n", new YamlDotNet.Core.Mark(3, 1, 4)));
        Assert.Null(QuotedScalarIndentation.Indent("a: \"x\"\n", new YamlDotNet.Core.Mark(0, 9, 4)));
    }
}
