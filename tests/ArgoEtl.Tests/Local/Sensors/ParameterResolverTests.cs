using System.Text;
using System.Text.Json.Nodes;
using ArgoEtl.Core.Targets.Local.Events;
using ArgoEtl.Core.Targets.Local.Sensors;

namespace ArgoEtl.Tests.Local.Sensors;

/// <summary>
/// Trigger parameters, table-driven from argo-events pkg/sensors/triggers/params_test.go (TestResolveParamValue,
/// TestApplyParams, TestConstructPayload) and docs/tutorials/02-parameterization.md. Raw JSON blocks are compact here
/// where upstream keeps the event's own spacing.
/// </summary>
public sealed class ParameterResolverTests
{
    private static readonly LocalEvent Fake = SensorFixtures.Event("webhook-gateway", "example-1",
        """{"name": {"first": "fake", "last": "user"}, "reviews": 8, "rating": 4.5, "isActive" : true, "isVerified" : false, "countries": ["ca", "us", "mx"]}""");

    private static readonly Dictionary<string, LocalEvent> Events = new(StringComparer.Ordinal) { ["fake-dependency"] = Fake };

    private static TriggerParameterSource Src(string? dataKey = null, string? contextKey = null, string? dataTemplate = null, string? contextTemplate = null, string? value = null, bool raw = false, string dependency = "fake-dependency") =>
        new(dependency, contextKey, contextTemplate, dataKey, dataTemplate, value, raw);

    public static TheoryData<string, TriggerParameterSource, string> ResolveCases() => new()
    {
        { "get first name", Src(dataKey: "name.first"), "fake" },
        { "get the event subject", Src(contextKey: "subject"), "example-1" },
        { "get the default value", Src(value: "hello"), "hello" },
        { "data key has preference over context key", Src(contextKey: "subject", dataKey: "name.first"), "fake" },
        { "get first name with template", Src(dataTemplate: "{{ .Input.name.first }}"), "fake" },
        { "get capitalized first name with template", Src(dataTemplate: "{{ upper .Input.name.first }}"), "FAKE" },
        { "get subject with template", Src(contextTemplate: "{{ .Input.subject }}"), "example-1" },
        { "get formatted subject with template", Src(contextTemplate: """{{ .Input.subject | replace "-" "_" }}"""), "example_1" },
        { "data template has preference over context template", Src(contextTemplate: "{{ .Input.subject }}", dataTemplate: "{{ .Input.name.first }}"), "fake" },
        { "data template fails over to data key", Src(dataTemplate: "{{ .Input.name.non_exist }}", dataKey: "name.first"), "fake" },
        { "invalid template fails over to data key", Src(dataTemplate: "{{ no }}", dataKey: "name.first"), "fake" },
        { "UseRawData set to true - string", Src(dataKey: "name.first", raw: true), "fake" },
        { "UseRawData set to true - json", Src(dataKey: "name", raw: true), """{"first":"fake","last":"user"}""" },
        { "UseRawData set to true - list", Src(dataKey: "countries", raw: true), """["ca","us","mx"]""" },
        { "a number key gives its text", Src(dataKey: "rating"), "4.5" },
        { "a missing key falls back to value", Src(dataKey: "name.middle", value: "none"), "none" },
        { "an empty template result falls back to value", Src(dataTemplate: "{{ if false }}x{{ end }}", value: "dflt"), "dflt" },
        { "a missing dependency event gives value", Src(dataKey: "x", value: "v", dependency: "other"), "v" },
        { "the context's source", Src(contextKey: "source"), "webhook-gateway" },
        { "the context's time, RFC 3339 in seconds", Src(contextKey: "time"), "2024-05-06T12:00:00Z" },
    };

    [Theory]
    [MemberData(nameof(ResolveCases))]
    public void Resolves_like_params_go(string name, TriggerParameterSource source, string expected)
    {
        var resolved = ParameterResolver.Resolve(source, Events);

        Assert.True(resolved is not null, name);
        Assert.Equal(expected, resolved.Value);
    }

    [Fact]
    public void Without_key_template_or_value_the_whole_event_is_the_value_with_data_as_go_bytes()
    {
        var resolved = ParameterResolver.Resolve(Src(), Events)!;

        var whole = JsonNode.Parse(resolved.Value)!;
        Assert.Equal("example-1", (string?)whole["context"]!["subject"]);
        Assert.Equal("webhook", (string?)whole["context"]!["type"]);
        // Go marshals the Event's []byte data as base64.
        var data = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String((string)whole["data"]!)))!;
        Assert.Equal("fake", (string?)data["name"]!["first"]);
    }

    [Fact]
    public void A_missing_dependency_without_value_skips_the_parameter()
    {
        Assert.Null(ParameterResolver.Resolve(Src(dataKey: "x", dependency: "other"), Events));
    }

    [Fact]
    public void Nothing_resolving_and_no_value_is_an_error_naming_the_dependency()
    {
        var ex = Assert.Throws<ParameterResolutionException>(() => ParameterResolver.Resolve(Src(dataKey: "name.middle"), Events));

        Assert.Contains("unable to resolve 'fake-dependency' parameter value", ex.Message, StringComparison.Ordinal);
        Assert.Contains("name.middle", ex.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string, bool, string, string> ApplyCases() => new()
    {
        // name, dataKey, operation, useRawData, object, expected
        { "normal apply parameters operation", "name.first", "", false, """{"name":"faker"}""", """{"name":"fake"}""" },
        { "apply parameters with prepend operation", "name.first", "prepend", false, """{"name":"faker"}""", """{"name":"fakefaker"}""" },
        { "apply parameters with append operation", "name.first", "append", false, """{"name":"faker"}""", """{"name":"fakerfake"}""" },
        { "apply parameters with overwrite operation", "name.first", "overwrite", false, """{"name":"faker"}""", """{"name":"fake"}""" },
        { "apply block parameters with overwrite operation - useRawDataValue false", "name", "overwrite", false, """{"name":"faker"}""", """{"name":"{\"first\":\"fake\",\"last\":\"user\"}"}""" },
        { "apply block parameters with overwrite operation - useRawDataValue true", "name", "overwrite", true, """{"name":"faker"}""", """{"name":{"first":"fake","last":"user"}}""" },
        { "append onto a missing dest just sets it", "name.first", "append", false, "{}", """{"name":"fake"}""" },
    };

    [Theory]
    [MemberData(nameof(ApplyCases))]
    public void Applies_like_params_go(string name, string dataKey, string operation, bool raw, string json, string expected)
    {
        var parameter = new TriggerParameter(Src(dataKey: dataKey, raw: raw), "name", operation, "/p");

        var result = ParameterResolver.Apply(JsonNode.Parse(json)!, [parameter], Events);

        string actual = result.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        Assert.True(expected == actual, $"{name}: {actual}");
    }

    [Fact]
    public void Raw_data_types_are_kept_and_append_turns_them_into_strings()
    {
        var events = new Dictionary<string, LocalEvent>(StringComparer.Ordinal)
        {
            ["fake-dependency"] = SensorFixtures.Event("s", "e", """{"name": {"first": "fake", "last": "user"}, "age": 100, "countries": ["ca", "us", "mx"] }"""),
        };
        TriggerParameter P(string key, string dest, string op) => new(Src(dataKey: key, raw: true), dest, op, "/p");

        var result = ParameterResolver.Apply(JsonNode.Parse("""{"age": "this-gets-over-written", "ageWithYears": "Years: "}""")!,
            [P("age", "age", "overwrite"), P("age", "ageWithYears", "append"), P("countries", "countries", "append")], events);

        Assert.Equal("""{"age":100,"ageWithYears":"Years: 100","countries":["ca","us","mx"]}""", result.ToJsonString());
    }

    [Fact]
    public void Construct_payload_builds_an_http_body()
    {
        var events = new Dictionary<string, LocalEvent>(StringComparer.Ordinal)
        {
            ["fake-dependency"] = SensorFixtures.Event("webhook-gateway", "example-1", """{"firstName": "fake"}"""),
            ["another-fake-dependency"] = SensorFixtures.Event("calendar-gateway", "example-1", """{"lastName": "foo"}"""),
            ["use-event-data-type"] = SensorFixtures.Event("calendar-gateway", "example-1", """{"age": 100, "isActive": false, "countries": ["ca", "us", "mx"]}"""),
        };
        var parameters = new List<TriggerParameter>
        {
            new(Src(dataKey: "firstName", value: "faker"), "firstName", "", "/0"),
            new(Src(dataKey: "lastName", value: "bar", dependency: "another-fake-dependency"), "lastName", "", "/1"),
            new(Src(dataKey: "age", raw: true, dependency: "use-event-data-type"), "age", "", "/2"),
            new(Src(dataKey: "isActive", raw: true, dependency: "use-event-data-type"), "isActive", "", "/3"),
            new(Src(dataKey: "age", dependency: "use-event-data-type"), "typelessAge", "", "/4"),
            new(Src(dataKey: "isActive", dependency: "use-event-data-type"), "typelessIsActive", "", "/5"),
        };

        var body = JsonNode.Parse(ParameterResolver.ConstructPayload(parameters, events)!)!;

        Assert.Equal("fake", (string?)body["firstName"]);
        Assert.Equal("foo", (string?)body["lastName"]);
        Assert.Equal(100, (int)body["age"]!);
        Assert.False((bool)body["isActive"]!);
        Assert.Equal("100", (string?)body["typelessAge"]);
        Assert.Equal("false", (string?)body["typelessIsActive"]);

        parameters[0] = parameters[0] with { Source = parameters[0].Source with { DataKey = "unknown" } };
        parameters[1] = parameters[1] with { Source = parameters[1].Source with { DataKey = "unknown" } };
        body = JsonNode.Parse(ParameterResolver.ConstructPayload(parameters, events)!)!;
        Assert.Equal("faker", (string?)body["firstName"]);
        Assert.Equal("bar", (string?)body["lastName"]);
    }

    [Fact]
    public void An_empty_dest_makes_the_value_the_whole_payload()
    {
        var body = ParameterResolver.ConstructPayload([new TriggerParameter(Src(dataKey: "name", raw: true), "", "", "/0")], Events);

        Assert.Equal("""{"first":"fake","last":"user"}""", body);
    }
}
