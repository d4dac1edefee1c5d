using System.Diagnostics;
using ArgoEtl.Etl.Output;
using ArgoEtl.Etl.Storage;

namespace ArgoEtl.Etl.Transform;

/// <summary>
/// Runs conversions end to end: open the input wherever it is, convert into temp files, and only when the whole input
/// converted, publish the output (and rejects) to their destinations. A failed or canceled run deletes its temp files
/// and publishes nothing; a repeated run on the same input publishes the same bytes.
/// </summary>
public sealed class EtlRunner : IDisposable
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);
    private readonly S3Settings _s3Settings;
    private readonly LocalFileStore _files = new();
    private readonly FtpObjectStore _ftp = new();
    private S3ObjectStore? _s3;

    public EtlRunner(S3Settings? s3Settings = null) => _s3Settings = s3Settings ?? new S3Settings();

    public async Task<EtlResult> RunAsync(EtlJob job, IProgress<TransformProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var clock = Stopwatch.StartNew();
        var output = job.ResolveOutput();
        var rejectsLocation = job.ResolveRejects();
        string tempDir = TempDirectoryFor(job, output);
        Directory.CreateDirectory(tempDir);
        string tempOutput = Path.Combine(tempDir, $".argoetl-{Guid.NewGuid():N}.tmp");
        string tempRejects = tempOutput + ".rejects";
        try
        {
            var (content, length) = await StoreFor(job.Input).OpenReadAsync(job.Input, cancellationToken).ConfigureAwait(false);
            using var input = new CountingStream(content);
            using var abortRead = cancellationToken.Register(input.Dispose);

            CsvTransformStats stats;
            long rejectedWritten;
            await using (var outStream = new FileStream(tempOutput, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            using (var rejectStream = job.Transform.BadRows == BadRowMode.Skip ? new FileStream(tempRejects, FileMode.CreateNew) : null)
            using (var rejects = rejectStream is null ? null : new NdjsonRejectSink(rejectStream))
            {
                long rows = 0;
                var work = Task.Factory.StartNew(
                    () => CsvTransformer.Transform(input, outStream, job.Transform, job.Input.ToString(), rejects, r => Volatile.Write(ref rows, r), cancellationToken),
                    cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
                // No token on the delay: a canceled delay completes at once and would spin this loop until the work stops.
                while (await Task.WhenAny(work, Task.Delay(ProgressInterval, CancellationToken.None)).ConfigureAwait(false) != work)
                {
                    progress?.Report(new TransformProgress(job.Input.ToString(), input.Count, length, Volatile.Read(ref rows)));
                }

                stats = await TranslateCancel(work, cancellationToken).ConfigureAwait(false);
                rejectedWritten = rejects?.Count ?? 0;
            }

            progress?.Report(new TransformProgress(job.Input.ToString(), input.Count, length, stats.Rows));
            long bytesOut = new FileInfo(tempOutput).Length;
            string contentType = job.Transform.Format == OutputFormat.Parquet ? "application/vnd.apache.parquet" : "application/x-ndjson";

            // Local copy first: it is the cheap step, and the artifact Argo reads should exist if the upload does.
            if (job.LocalOutput is not null && !SamePath(job.LocalOutput, output))
            {
                string localTemp = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(job.LocalOutput))!, $".argoetl-{Guid.NewGuid():N}.tmp");
                File.Copy(tempOutput, localTemp);
                await _files.PublishAsync(localTemp, ObjectLocation.File(job.LocalOutput), contentType, cancellationToken).ConfigureAwait(false);
            }

            await StoreFor(output).PublishAsync(tempOutput, output, contentType, cancellationToken).ConfigureAwait(false);
            if (rejectedWritten > 0)
            {
                await StoreFor(rejectsLocation).PublishAsync(tempRejects, rejectsLocation, "application/x-ndjson", cancellationToken).ConfigureAwait(false);
            }

            return new EtlResult
            {
                Input = job.Input.ToString(),
                Output = output.ToString(),
                LocalOutput = job.LocalOutput is null ? null : Path.GetFullPath(job.LocalOutput),
                Rejects = rejectedWritten > 0 ? rejectsLocation.ToString() : null,
                Format = job.Transform.Format.ToString(),
                Rows = stats.Rows,
                RejectedRows = stats.RejectedRows,
                BytesIn = input.Count,
                BytesOut = bytesOut,
                Duration = clock.Elapsed,
                Schema = stats.Schema.ToString(),
                SchemaInferred = stats.SchemaInferred,
            };
        }
        finally
        {
            TryDelete(tempOutput);
            TryDelete(tempRejects);
        }
    }

    public void Dispose() => _s3?.Dispose();

    private IObjectStore StoreFor(ObjectLocation location) => location.Kind switch
    {
        LocationKind.S3 => _s3 ??= new S3ObjectStore(_s3Settings),
        LocationKind.Ftp => _ftp,
        _ => _files,
    };

    // Temp files live beside a local destination so publishing is a same-filesystem rename.
    private static string TempDirectoryFor(EtlJob job, ObjectLocation output)
    {
        if (output.Kind == LocationKind.File)
        {
            return Path.GetDirectoryName(output.Path)!;
        }

        return job.LocalOutput is not null ? Path.GetDirectoryName(Path.GetFullPath(job.LocalOutput))! : Path.GetTempPath();
    }

    private static bool SamePath(string local, ObjectLocation output) =>
        output.Kind == LocationKind.File && string.Equals(Path.GetFullPath(local), output.Path, StringComparison.Ordinal);

    private static async Task<CsvTransformStats> TranslateCancel(Task<CsvTransformStats> work, CancellationToken cancellationToken)
    {
        try
        {
            return await work.ConfigureAwait(false);
        }
        // Cancel disposes the input under the parser, which then fails with an I/O error: that is the cancel, not a fault.
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is not EtlException)
        {
            throw new OperationCanceledException("The conversion was canceled; nothing was written.", ex, cancellationToken);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // A temp file we could not delete is harmless (dot-named, in the temp or output folder); the run's outcome stands.
        }
    }
}
