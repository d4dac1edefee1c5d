using System.Text.Json.Nodes;
using ArgoEtl.Core.Targets.Local.Sensors.Paths;

namespace ArgoEtl.Tests.Local.Sensors;

/// <summary>sjson's Set as dest paths use it, with cases from sjson's README.</summary>
public sealed class SjsonPathTests
{
    public static TheoryData<string?, string, string, string> Cases() => new()
    {
        { """{"name":"Tom"}""", "name", "Anderson", """{"name":"Anderson"}""" },
        { null, "name.last", "Anderson", """{"name":{"last":"Anderson"}}""" },
        { """{"name":{"last":"Anderson"}}""", "name.first", "Sara", """{"name":{"last":"Anderson","first":"Sara"}}""" },
        { """{"friends":["Andy","Carol"]}""", "friends.1", "Sara", """{"friends":["Andy","Sara"]}""" },
        { """{"friends":["Andy","Carol"]}""", "friends.-1", "Sara", """{"friends":["Andy","Carol","Sara"]}""" },
        { """{"friends":["Andy","Carol"]}""", "friends.4", "Sara", """{"friends":["Andy","Carol",null,null,"Sara"]}""" },
        { """{"app.token":"abc"}""", "app\\.token", "cde", """{"app.token":"cde"}""" },
        { null, "children.1", "Sara", """{"children":[null,"Sara"]}""" },
        { """{"spec":{"arguments":{"parameters":[{"name":"bucket"},{"name":"key"}]}}}""", "spec.arguments.parameters.1.value", "k",
          """{"spec":{"arguments":{"parameters":[{"name":"bucket"},{"name":"key","value":"k"}]}}}""" },
        { """{"spec":{"arguments":{"parameters":[{"name":"a","value":"1"}]}}}""", "spec.arguments.parameters.-1.value", "2",
          """{"spec":{"arguments":{"parameters":[{"name":"a","value":"1"},{"value":"2"}]}}}""" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Set_follows_sjson(string? json, string path, string value, string expected)
    {
        var root = SjsonPath.Set(json is null ? null : JsonNode.Parse(json), path, JsonValue.Create(value));

        Assert.Equal(expected, root.ToJsonString());
    }

    [Fact]
    public void A_name_inside_an_array_is_an_error()
    {
        Assert.Throws<ArgumentException>(() => SjsonPath.Set(JsonNode.Parse("""{"a":[1]}"""), "a.b", JsonValue.Create("x")));
    }
}
