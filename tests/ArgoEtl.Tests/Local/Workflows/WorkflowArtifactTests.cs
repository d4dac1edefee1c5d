using System.Formats.Tar;
using System.IO.Compression;
using Amazon.S3.Model;
using ArgoEtl.Core.Runs;
using ArgoEtl.Core.Targets.Local.Workflows;
using ArgoEtl.Testing;
using ArgoEtl.Tests.Substrates;

namespace ArgoEtl.Tests.Local.Workflows;

/// <summary>Artifacts against a real S3-compatible store (s3rver): inputs from s3, http and raw, outputs archived into the repository and passed to the next step.</summary>
public sealed class WorkflowArtifactTests(S3rverFixture s3) : IClassFixture<S3rverFixture>, IDisposable
{
    private readonly LocalWorkflowHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Inputs_from_s3_http_and_raw_reach_the_step_and_outputs_go_to_the_repository_and_on()
    {
        string bucket = "wf-" + Guid.NewGuid().ToString("N")[..8];
        await s3.Client.PutBucketAsync(bucket);
        await s3.Client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "inputs/data.csv", ContentBody = "a,b\n1,2\n", UseChunkEncoding = false });
        _h.Repository = new S3ArtifactRepository(new Uri(s3.Server.Endpoint), bucket, S3rver.AccessKey, S3rver.SecretKey);
        _h.Rewriter = text => text.Replace("http://object-store", s3.Server.Endpoint, StringComparison.Ordinal);

        var run = await _h.RunAsync($$$"""
            apiVersion: argoproj.io/v1alpha1
            kind: Workflow
            metadata: {name: art}
            spec:
              entrypoint: main
              templates:
              - name: main
                steps:
                - - {name: produce, template: produce}
                - - name: consume
                    template: consume
                    arguments:
                      artifacts:
                      - {name: packed, from: "{{steps.produce.outputs.artifacts.result}}"}
              - name: produce
                inputs:
                  artifacts:
                  - {name: note, path: /tmp/raw.txt, raw: {data: "raw-text"}}
                  - {name: data, path: /tmp/in/data.csv, s3: {key: inputs/data.csv}}
                  - {name: web, path: /tmp/web.csv, http: {url: "http://object-store/{{{bucket}}}/inputs/data.csv"}}
                script:
                  image: alpine:3
                  command: [sh]
                  source: |
                    mkdir -p /tmp/out
                    { cat {{inputs.artifacts.note.path}}; echo; cat /tmp/in/data.csv /tmp/web.csv; } > /tmp/out/result.txt
                outputs:
                  artifacts:
                  - {name: result, path: /tmp/out/result.txt}
                  - {name: plain, path: /tmp/out/result.txt, archive: {none: {} } }
              - name: consume
                inputs:
                  artifacts:
                  - {name: packed, path: /data/got.txt}
                container:
                  image: alpine:3
                  command: [sh, -c, "wc -l < /data/got.txt | tr -d ' ' > /data/lines"]
                outputs:
                  parameters:
                  - {name: lines, valueFrom: {path: /data/lines}}
            """);

        Assert.True(run.Phase == EtlRunPhase.Succeeded, run.Describe());
        const string Expected = "raw-text\na,b\n1,2\na,b\n1,2\n";
        Assert.Equal($"s3://{bucket}/art/art[0].produce/result.tgz", run.Node("art[0].produce").Artifacts["result"]);
        using (var plain = await s3.Client.GetObjectAsync(bucket, "art/art[0].produce/result.txt"))
        using (var reader = new StreamReader(plain.ResponseStream))
        {
            Assert.Equal(Expected, await reader.ReadToEndAsync());
        }

        using (var packed = await s3.Client.GetObjectAsync(bucket, "art/art[0].produce/result.tgz"))
        using (var gzip = new GZipStream(packed.ResponseStream, CompressionMode.Decompress))
        using (var tar = new TarReader(gzip))
        {
            var entry = tar.GetNextEntry()!;
            Assert.Equal("result.txt", entry.Name);
            using var content = new StreamReader(entry.DataStream!);
            Assert.Equal(Expected, await content.ReadToEndAsync());
        }

        Assert.Equal("5", run.Node("art[1].consume").Outputs["lines"]);
    }

    [Fact]
    public async Task Output_artifacts_without_a_repository_are_refused_before_the_run()
    {
        var ex = await Assert.ThrowsAsync<EtlException>(() => _h.RunAsync("""
            apiVersion: argoproj.io/v1alpha1
            kind: Workflow
            metadata: {name: norepo}
            spec:
              entrypoint: main
              templates:
              - name: main
                container: {image: alpine:3, command: [sh, -c, "true"]}
                outputs:
                  artifacts:
                  - {name: x, path: /tmp/x}
            """));
        Assert.Equal("LocalNoArtifactRepository", ex.Code);
        Assert.Contains("wf.yaml:11", ex.Message, StringComparison.Ordinal);
    }
}
