using System.Text.Json.Nodes;
using ArgoEtl.Core.Targets.Local.Sensors.Paths;

namespace ArgoEtl.Tests.Local.Sensors;

/// <summary>The gjson subset, with cases from gjson's README document and the paths Sensors use.</summary>
public sealed class GjsonPathTests
{
    private const string Readme = """
        {"name": {"first": "Tom", "last": "Anderson"}, "age": 37, "children": ["Sara", "Alex", "Jack"],
         "fav.movie": "Deer Hunter", "ratio": 4.50, "big": 1e3, "active": true, "none": null,
         "friends": [{"first": "Dale", "last": "Murphy", "age": 44, "nets": ["ig", "fb", "tw"]},
                     {"first": "Roger", "last": "Craig", "age": 68, "nets": ["fb", "tw"]},
                     {"first": "Jane", "last": "Murphy", "age": 47, "nets": ["ig", "tw"]}]}
        """;

    public static TheoryData<string, string?, string> Cases() => new()
    {
        { "name.last", "Anderson", "String" },
        { "age", "37", "Number" },
        { "children", """["Sara","Alex","Jack"]""", "JSON" },
        { "children.#", "3", "Number" },
        { "children.1", "Alex", "String" },
        { "friends.#.first", """["Dale","Roger","Jane"]""", "JSON" },
        { "friends.1.last", "Craig", "String" },
        { "friends.#.nets.#", "[3,2,2]", "JSON" },
        { "fav\\.movie", "Deer Hunter", "String" },
        { "ratio", "4.5", "Number" },
        { "big", "1000", "Number" },
        { "active", "true", "True" },
        { "none", "", "Null" },
        { "name", """{"first":"Tom","last":"Anderson"}""", "JSON" },
        { "children.3", null, "Null" },
        { "name.middle", null, "Null" },
        { "age.years", null, "Null" },
        { "fav.movie", null, "Null" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Get_follows_gjson(string path, string? expected, string type)
    {
        var result = GjsonPath.Get(JsonNode.Parse(Readme), path);

        Assert.Equal(expected is not null, result.Exists);
        Assert.Equal(expected ?? string.Empty, result.ToString());
        Assert.Equal(type, result.Type.ToString());
    }

    [Fact]
    public void Minio_key_paths_resolve()
    {
        var data = SensorFixtures.MinioPut("minio", "put", "input", "incoming/scores.csv").Data;

        Assert.Equal("input", GjsonPath.Get(data, "notification.0.s3.bucket.name").ToString());
        Assert.Equal("incoming/scores.csv", GjsonPath.Get(data, "notification.0.s3.object.key").ToString());
        Assert.Equal(42, GjsonPath.Get(data, "notification.0.s3.object.size").ToDouble());
    }

    [Theory]
    [InlineData("friends.#(last==\"Murphy\").first")]
    [InlineData("children|@reverse")]
    [InlineData("child*.0")]
    [InlineData("@this")]
    [InlineData("[name.first,age]")]
    public void Syntax_outside_the_subset_is_reported_not_misread(string path)
    {
        Assert.NotNull(GjsonPath.Unsupported(path));
        Assert.False(GjsonPath.Get(JsonNode.Parse(Readme), path).Exists);
    }

    [Fact]
    public void String_bool_and_number_views_match_gjson()
    {
        var data = JsonNode.Parse("""{"s":"2.5","t":"true","one":"1","n":0,"f":false}""");

        Assert.Equal(2.5, GjsonPath.Get(data, "s").ToDouble());
        Assert.True(GjsonPath.Get(data, "t").ToBoolean());
        Assert.True(GjsonPath.Get(data, "one").ToBoolean());
        Assert.False(GjsonPath.Get(data, "n").ToBoolean());
        Assert.Equal("false", GjsonPath.Get(data, "f").ToString());
    }
}
