using ArgoEtl.Core.Targets.Local.Events;
using static ArgoEtl.Tests.Local.Events.EventTestKit;

namespace ArgoEtl.Tests.Local.Events;

public sealed class EventSourceParserTests
{
    [Fact]
    public void MinioEventCarriesBucketFilterEventsAndMetadata()
    {
        var minio = Single<MinioEventDefinition>("""
            apiVersion: argoproj.io/v1alpha1
            kind: EventSource
            metadata:
              name: minio-json
            spec:
              minio:
                put:
                  bucket:
                    name: etl
                  endpoint: minio:9000
                  events:
                  - s3:ObjectCreated:Put
                  - s3:ObjectRemoved:*
                  filter:
                    prefix: input/
                    suffix: .csv
                  insecure: true
                  metadata:
                    team: data
                  accessKey:
                    name: minio
                    key: root-user
                  secretKey:
                    name: minio
                    key: root-password
            """);
        Assert.Equal(("minio-json", "put", "minio"), (minio.EventSourceName, minio.EventName, minio.Type));
        Assert.Equal(new ObjectKeyFilter("etl", "input/", ".csv"), minio.Filter);
        Assert.Equal(["s3:ObjectCreated:Put", "s3:ObjectRemoved:*"], minio.Events);
        Assert.Equal("data", minio.Metadata["team"]);
        Assert.Equal(new SecretKeyReference("minio", "root-user", false, "k8s/eventsource.yaml:21"), minio.AccessKey);
        Assert.True(minio.Insecure);
        Assert.Equal("k8s/eventsource.yaml:8", minio.Where);
    }

    [Fact]
    public void WebhookSnsGenericAndFileEventsAreRead()
    {
        var all = EventSourceParser.Parse(Manifest("""
            kind: EventSource
            metadata:
              name: many
            spec:
              service:
                ports:
                - port: 12000
              webhook:
                example:
                  port: "12000"
                  endpoint: /example
                  method: POST
                  maxPayloadSize: 2048
                  authSecret:
                    name: hook
                    key: token
              sns:
                landing:
                  topicArn: arn:aws:sns:eu-west-1:123456789012:landing
                  webhook:
                    endpoint: /sns
                    port: 12001
                    url: https://example.test
                  validateSignature: true
              generic:
                ftp:
                  url: ftp-events:50051
                  config: |-
                    host: ftp
                  insecure: true
                  jsonBody: true
              file:
                drop:
                  eventType: CREATE
                  watchPathConfig:
                    directory: data/
                    pathRegexp: .*\.csv$
            """)).ToDictionary(d => d.EventName);
        var webhook = Assert.IsType<WebhookEventDefinition>(all["example"]);
        Assert.Equal((12000, "/example", "POST", 2048L), (webhook.Webhook.Port, webhook.Webhook.Endpoint, webhook.Webhook.Method, webhook.Webhook.MaxPayloadSize));
        Assert.Equal("hook", webhook.Webhook.AuthSecret!.Name);
        var sns = Assert.IsType<SnsEventDefinition>(all["landing"]);
        Assert.Equal((12001, "/sns", true, "eu-west-1"), (sns.Webhook.Port, sns.Webhook.Endpoint, sns.ValidateSignature, sns.EffectiveRegion));
        Assert.Equal(WebhookContextSpec.DefaultMaxPayloadSize, sns.Webhook.MaxPayloadSize);
        var generic = Assert.IsType<GenericEventDefinition>(all["ftp"]);
        Assert.Equal(("ftp-events:50051", "host: ftp", true, true), (generic.Url, generic.Config, generic.Insecure, generic.JsonBody));
        Assert.Equal(new Uri("http://ftp-events:50051"), LocalGenericEventSource.AddressOf(generic));
        var file = Assert.IsType<FileEventDefinition>(all["drop"]);
        Assert.Equal(("CREATE", "data/", null, @".*\.csv$"), (file.EventType, file.Directory, file.Path, file.PathRegexp));
    }

    [Fact]
    public void AFieldTheLocalTargetCannotHonourIsNamedWithItsLine()
    {
        var ex = Assert.Throws<EtlException>(() => EventSourceParser.Parse(Manifest("""
            kind: EventSource
            metadata:
              name: secure
            spec:
              webhook:
                example:
                  port: "12000"
                  endpoint: /example
                  method: POST
                  serverCertSecret:
                    name: tls
                    key: crt
            """)));
        Assert.Equal("LocalUnsupportedField", ex.Code);
        Assert.StartsWith("k8s/eventsource.yaml:11: spec.webhook.example.serverCertSecret cannot be honoured", ex.Message, StringComparison.Ordinal);
        Assert.Equal("k8s/eventsource.yaml:11", ex.Target);
    }

    [Fact]
    public void AnUnknownFieldIsNamedRatherThanIgnored()
    {
        var ex = Assert.Throws<EtlException>(() => EventSourceParser.Parse(Manifest("""
            kind: EventSource
            metadata:
              name: typo
            spec:
              file:
                drop:
                  eventType: CREATE
                  watchPathConfig:
                    directory: /data/
                    path: a.csv
                    recursive: true
            """)));
        Assert.Equal("LocalUnsupportedField", ex.Code);
        Assert.Contains("k8s/eventsource.yaml:11: spec.file.drop.watchPathConfig.recursive", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnotherSourceTypeIsRejectedWithItsLine()
    {
        var ex = Assert.Throws<EtlException>(() => EventSourceParser.Parse(Manifest("""
            kind: EventSource
            metadata:
              name: stream
            spec:
              kafka:
                orders:
                  url: kafka:9092
                  topic: orders
            """)));
        Assert.Equal("LocalUnsupportedEventSourceType", ex.Code);
        Assert.StartsWith("k8s/eventsource.yaml:6: EventSource stream uses the 'kafka' event source", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("events: []", "events is empty")]
    [InlineData("events: [s3:ObjectCreated:Upload]", "'s3:ObjectCreated:Upload' is not an S3 event name")]
    public void MinioEventsMustBeNamesMinioSends(string events, string expected)
    {
        var ex = Assert.Throws<EtlException>(() => EventSourceParser.Parse(Manifest($$"""
            kind: EventSource
            metadata:
              name: m
            spec:
              minio:
                put:
                  bucket: {name: etl}
                  {{events}}
            """)));
        Assert.Equal("EventSourceInvalid", ex.Code);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFileEventWithoutPathOrPatternIsInvalid()
    {
        var ex = Assert.Throws<EtlException>(() => EventSourceParser.Parse(Manifest("""
            kind: EventSource
            metadata:
              name: f
            spec:
              file:
                drop:
                  eventType: CREATE
                  watchPathConfig:
                    directory: /data/
            """)));
        Assert.Equal("EventSourceInvalid", ex.Code);
        Assert.Contains("has neither path nor pathRegexp", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEventNameIsUsedOncePerEventSourceAndOtherKindsAreSkipped()
    {
        var ex = Assert.Throws<EtlException>(() => EventSourceParser.Parse(Manifest("""
            kind: EventSource
            metadata:
              name: twice
            spec:
              webhook:
                landed: {port: "12000", endpoint: /a, method: POST}
              file:
                landed: {eventType: CREATE, watchPathConfig: {directory: /d/, path: a}}
            """)));
        Assert.Equal("EventSourceInvalid", ex.Code);
        Assert.Contains("event name 'landed' is defined twice", ex.Message, StringComparison.Ordinal);

        var sensor = Manifest("kind: Sensor\nmetadata: {name: s}\nspec: {}\n", "k8s/sensor.yaml");
        var source = Manifest("kind: EventSource\nmetadata: {name: e}\nspec: {webhook: {a: {port: '1', endpoint: /a, method: POST}}}\n");
        Assert.Equal("a", Assert.Single(EventSourceParser.ParseAll([sensor, source])).EventName);
    }
}
