using System.Text.Json.Nodes;
using ArgoEtl.Core.Targets.Local.Sensors;
using ArgoEtl.Core.Targets.Local.Sensors.Templates;

namespace ArgoEtl.Tests.Local.Sensors;

/// <summary>Go text/template and sprig as dataTemplate/contextTemplate run them, over root {"Input": event data}.</summary>
public sealed class GoTemplateTests
{
    private const string Data = """
        {"name": {"first": "fake", "last": "user"}, "reviews": 8, "rating": 4.5, "isActive": true, "big": 1000000,
         "countries": ["ca", "us", "mx"], "body": {"key": "incoming/2024/scores.csv", "b64": "aGVsbG8gd29ybGQ=", "n": null},
         "subject": "example-1", "html": "<a&b>"}
        """;

    public static TheoryData<string, string> Cases() => new()
    {
        // params_test.go
        { "{{ .Input.name.first }}", "fake" },
        { "{{ upper .Input.name.first }}", "FAKE" },
        { """{{ .Input.subject | replace "-" "_" }}""", "example_1" },
        // Printing as Go's fmt does.
        { "{{ .Input.reviews }}", "8" },
        { "{{ .Input.rating }}", "4.5" },
        { "{{ .Input.big }}", "1e+06" },
        { "{{ .Input.isActive }}", "true" },
        { "{{ .Input.countries }}", "[ca us mx]" },
        { "{{ .Input.name }}", "map[first:fake last:user]" },
        { "{{ .Input.missing }}", "<no value>" },
        { "{{ .Input.missing.deeper }}", "<no value>" },
        { "{{ .Input.body.n }}", "<no value>" },
        // sprig and builtins.
        { """{{ .Input.body.key | trimPrefix "incoming/" }}""", "2024/scores.csv" },
        { """{{ (split "/" .Input.body.key)._2 }}""", "scores.csv" },
        { """{{ splitList "/" .Input.body.key | last }}""", "scores.csv" },
        { """{{ join "," .Input.countries }}""", "ca,us,mx" },
        { """{{ index .Input.countries 1 }}""", "us" },
        { """{{ len .Input.countries }}""", "3" },
        { """{{ b64dec .Input.body.b64 | upper }}""", "HELLO WORLD" },
        { """{{ "hello" | b64enc }}""", "aGVsbG8=" },
        { """{{ .Input.missing | default "fallback" }}""", "fallback" },
        { """{{ .Input.name.first | default "fallback" }}""", "fake" },
        { """{{ toJson .Input.name }}""", """{"first":"fake","last":"user"}""" },
        { """{{ toJson .Input.html }}""", "\"\\u003ca\\u0026b\\u003e\"" },
        { """{{ quote .Input.name.first }}""", "\"fake\"" },
        { """{{ printf "%s-%s" .Input.name.first .Input.name.last }}""", "fake-user" },
        { """{{ printf "%v/%d" .Input.reviews 3 }}""", "8/3" },
        { """{{ contains "scores" .Input.body.key }}""", "true" },
        { """{{ hasPrefix "incoming" .Input.body.key }}""", "true" },
        { """{{ hasSuffix ".json" .Input.body.key }}""", "false" },
        { """{{ substr 0 4 .Input.name.first }}""", "fake" },
        { """{{ trim "  x  " }}""", "x" },
        { """{{ lower "ABC" }}""", "abc" },
        { """{{ add 1 2 }}/{{ sub 5 2 }}""", "3/3" },
        { """{{ if eq .Input.name.first "fake" }}yes{{ else }}no{{ end }}""", "yes" },
        { """{{ if ne .Input.name.first "fake" }}yes{{ else if .Input.isActive }}active{{ else }}no{{ end }}""", "active" },
        { """{{ if and .Input.isActive (gt .Input.reviews 5.0) }}many{{ end }}""", "many" },
        { """{{ if or .Input.missing (not .Input.isActive) }}a{{ else }}b{{ end }}""", "b" },
        { """{{ range $i, $c := .Input.countries }}{{ if $i }},{{ end }}{{ upper $c }}{{ end }}""", "CA,US,MX" },
        { """{{ range .Input.missing }}x{{ else }}empty{{ end }}""", "empty" },
        { """{{ with .Input.name }}{{ .last }}{{ end }}""", "user" },
        { """{{ $n := .Input.name.first }}{{ $n }}-{{ $.Input.reviews }}""", "fake-8" },
        { "{{- /* a comment */ -}}  {{ .Input.reviews -}}  !", "8!" },
        { """{{ regexReplaceAll "[0-9]+" .Input.body.key "N" }}""", "incoming/N/scores.csv" },
        { """{{ .Input.countries | toJson }}""", """["ca","us","mx"]""" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Executes_like_go(string template, string expected)
    {
        string output = GoTemplate.ExecuteWithInput(template, GoInput());

        Assert.Equal(expected, output);
    }

    public static TheoryData<string> Failures() =>
    [
        "{{ no }}",                                  // params_test.go: an unknown function is a parse error
        "{{ .Input.name.first",                      // unclosed action
        "{{ .Input.body.n.x }}",                     // a field of a JSON null: Go's "nil pointer evaluating interface {}.x"
        "{{ .Input.name.first.x }}",                 // a field of a string
        "{{ upper .Input.reviews }}",                // a float64 where a string is expected
        "{{ eq .Input.reviews 8 }}",                 // float64 against int: incompatible types
        "{{ if .Input.isActive }}x",                 // missing end
        "{{ index .Input.countries 5 }}",            // out of range
    ];

    [Theory]
    [MemberData(nameof(Failures))]
    public void Fails_where_go_fails(string template)
    {
        Assert.Throws<GoTemplateException>(() => GoTemplate.ExecuteWithInput(template, GoInput()));
    }

    [Theory]
    [InlineData("{{ now }}")]
    [InlineData("{{ uuidv4 }}")]
    [InlineData("{{ template \"x\" }}")]
    public void Sprig_functions_not_implemented_are_flagged_unsupported(string template)
    {
        var ex = Assert.Throws<GoTemplateException>(() => GoTemplate.Parse(template));
        Assert.True(ex.Unsupported);
    }

    // What argo-events passes as .Input: gjson's Value() of the event data (maps, slices, float64, string, bool, nil).
    private static object? GoInput() => GoValue.FromJson(JsonNode.Parse(Data));
}
