using System.Text;
using ArgoEtl.Etl.Events;
using ArgoEtl.Etl.Storage;

namespace ArgoEtl.Tests.Etl;

public sealed class EventPayloadTests
{
    // What MinIO sends (and Argo Events' minio event source passes on as the event body's notification).
    private const string MinioNotification = """
        {"EventName":"s3:ObjectCreated:Put","Key":"etl/input/my+file%281%29.csv","Records":[{"eventVersion":"2.0","eventSource":"minio:s3",
        "awsRegion":"","eventTime":"2023-04-01T09:15:00.000Z","eventName":"s3:ObjectCreated:Put","userIdentity":{"principalId":"minio"},
        "s3":{"s3SchemaVersion":"1.0","configurationId":"Config","bucket":{"name":"etl","ownerIdentity":{"principalId":"minio"},"arn":"arn:aws:s3:::etl"},
        "object":{"key":"input/my+file%281%29.csv","size":313,"eTag":"abc","contentType":"text/csv","sequencer":"1"}}}]}
        """;

    [Fact]
    public void Minio_notification_gives_bucket_and_decoded_key()
    {
        var objects = EventPayload.Parse(MinioNotification);
        var only = Assert.Single(objects);
        Assert.Equal(LocationKind.S3, only.Kind);
        Assert.Equal("etl", only.Container);
        Assert.Equal("input/my file(1).csv", only.Path);
    }

    [Fact]
    public void Argo_minio_event_body_with_notification_list_processes_each_record()
    {
        string body = """{"notification":[{"s3":{"bucket":{"name":"b"},"object":{"key":"input/a.csv"}}},{"s3":{"bucket":{"name":"b"},"object":{"key":"input/b.csv"}}}]}""";
        Assert.Equal(["s3://b/input/a.csv", "s3://b/input/b.csv"], EventPayload.Parse(body).Select(o => o.ToString()));
    }

    [Fact]
    public void Sns_envelope_inside_an_argo_webhook_body_is_unwrapped()
    {
        string message = """{"Records":[{"eventSource":"aws:s3","s3":{"bucket":{"name":"data-lake"},"object":{"key":"input/2023/04/scores+april.csv","size":10}}}]}""";
        string envelope = $$$"""
            {"header":{"X-Amz-Sns-Message-Type":["Notification"]},"body":{"Type":"Notification","MessageId":"m-1",
             "TopicArn":"arn:aws:sns:ap-northeast-2:123456789012:proj-s3-noti","Subject":"Amazon S3 Notification",
             "Message":{{{System.Text.Json.JsonSerializer.Serialize(message)}}},"Timestamp":"2023-04-01T09:15:00.000Z"}}
            """;
        Assert.Equal("s3://data-lake/input/2023/04/scores april.csv", Assert.Single(EventPayload.Parse(envelope)).ToString());
    }

    [Fact]
    public void Ftp_generic_payload_in_base64_resolves_against_the_ftp_url()
    {
        string payload = Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"name":"scores.csv","size":313,"time":"2023-04-01T09:15:00Z"}"""));
        var only = Assert.Single(EventPayload.Parse($$"""{"payload":"{{payload}}"}""", "ftp://127.0.0.1:2121/upload"));
        Assert.Equal(LocationKind.Ftp, only.Kind);
        Assert.Equal("/upload/scores.csv", only.Path);
        Assert.Equal("ftp://127.0.0.1:2121/upload/scores.csv", only.ToString());
    }

    [Fact]
    public void Ftp_event_without_a_server_says_how_to_give_one()
    {
        var ex = Assert.Throws<EtlException>(() => EventPayload.Parse("""{"name":"a.csv","size":1}"""));
        Assert.Equal("EventFtpBaseMissing", ex.Code);
    }

    [Theory]
    [InlineData("""{"hello":"world"}""", "EventNoObjects")]
    [InlineData("not json at all!", "EventInvalidJson")]
    public void Events_that_name_nothing_are_clear_errors(string body, string code) =>
        Assert.Equal(code, Assert.Throws<EtlException>(() => EventPayload.Parse(body)).Code);
}
