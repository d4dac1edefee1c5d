using System.Diagnostics;
using ArgoEtl.Etl.Aws;
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
    private readonly AwsConnection _aws;
    private readonly LocalFileStore _files = new();
    private readonly FtpObjectStore _ftp = new();
    private S3ObjectStore? _s3;

    /// <param name="aws">How S3 locations are reached; default: the SDK chain and the AWS_* environment.</param>
    public EtlRunner(AwsConnection? aws = null) => _aws = aws ?? new AwsConnection();

    public async Task<EtlResult> RunAsync(EtlJob job, IProgress<TransformProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var clock = Stopwatch.StartNew();
        var output = job.ResolveOutput();
        var rejectsLocation = job.ResolveRejects();
        CheckLocations(job, output, rejectsLocation);

        var created = new CreatedDirectories();
        string tempDir = TempDirectoryFor(job, output);
        string tempOutput;
        try
        {
            created.Ensure(tempDir);
            TempFiles.RemoveStale(tempDir);
            tempOutput = TempFiles.Create(tempDir);
        }
        catch (Exception ex) when (LocalIoErrors.IsLocalIo(ex))
        {
            throw LocalIoErrors.ForDestination(ex, DisplayedDestination(job, output));
        }

        string tempRejects = tempOutput + ".rejects";
        string? localTemp = null;
        bool published = false;
        try
        {
            var (content, length) = await StoreFor(job.Input).OpenReadAsync(job.Input, cancellationToken).ConfigureAwait(false);
            using var input = new CountingStream(content, job.Input.ToString());
            using var abortRead = cancellationToken.Register(input.Dispose);

            CsvTransformStats stats;
            long rejectedWritten;
            try
            {
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
            }
            // Input read failures are already coded (CountingStream); what is left is writing the temp output.
            catch (Exception ex) when (LocalIoErrors.IsLocalIo(ex) && !cancellationToken.IsCancellationRequested)
            {
                throw LocalIoErrors.ForDestination(ex, DisplayedDestination(job, output));
            }

            progress?.Report(new TransformProgress(job.Input.ToString(), input.Count, length, stats.Rows));
            long bytesOut = new FileInfo(tempOutput).Length;
            string contentType = job.Transform.Format == OutputFormat.Parquet ? "application/vnd.apache.parquet" : "application/x-ndjson";

            // All or nothing: stage the local copy, publish to remote stores (the step that fails for reasons outside
            // our control), and only then rename the local files into place, which on one file system does not fail.
            bool wantLocalCopy = job.LocalOutput is not null && !SamePath(job.LocalOutput, output);
            if (wantLocalCopy)
            {
                string localDir = Path.GetDirectoryName(Path.GetFullPath(job.LocalOutput!))!;
                try
                {
                    created.Ensure(localDir);
                    localTemp = TempFiles.Create(localDir);
                    File.Copy(tempOutput, localTemp);
                }
                catch (Exception ex) when (LocalIoErrors.IsLocalIo(ex))
                {
                    throw LocalIoErrors.ForDestination(ex, Path.GetFullPath(job.LocalOutput!));
                }
            }

            if (rejectedWritten > 0 && rejectsLocation.Kind != LocationKind.File)
            {
                await StoreFor(rejectsLocation).PublishAsync(tempRejects, rejectsLocation, "application/x-ndjson", cancellationToken).ConfigureAwait(false);
            }

            if (output.Kind != LocationKind.File)
            {
                await StoreFor(output).PublishAsync(tempOutput, output, contentType, cancellationToken).ConfigureAwait(false);
            }

            await PublishLocalAsync(tempOutput, output, contentType, created, cancellationToken).ConfigureAwait(false);
            if (rejectedWritten > 0)
            {
                await PublishLocalAsync(tempRejects, rejectsLocation, "application/x-ndjson", created, cancellationToken).ConfigureAwait(false);
            }

            if (localTemp is not null)
            {
                await PublishLocalAsync(localTemp, ObjectLocation.File(job.LocalOutput!), contentType, created, cancellationToken).ConfigureAwait(false);
            }

            published = true;
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
                InferenceReport = stats.InferenceReport,
            };
        }
        finally
        {
            TempFiles.Delete(tempOutput);
            TempFiles.Delete(tempRejects);
            if (localTemp is not null)
            {
                TempFiles.Delete(localTemp);
            }

            if (!published)
            {
                created.RemoveEmpty();
            }
        }
    }

    public void Dispose() => _s3?.Dispose();

    private async Task PublishLocalAsync(string file, ObjectLocation destination, string contentType, CreatedDirectories created, CancellationToken cancellationToken)
    {
        if (destination.Kind != LocationKind.File)
        {
            return;
        }

        try
        {
            created.Ensure(Path.GetDirectoryName(destination.Path)!);
            await _files.PublishAsync(file, destination, contentType, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (LocalIoErrors.IsLocalIo(ex))
        {
            throw LocalIoErrors.ForDestination(ex, destination.Path);
        }
    }

    // Refused before anything is read or created: an output (or local copy, or rejects file) that is the input would
    // replace the data being converted, and an S3 location needs a key.
    private static void CheckLocations(EtlJob job, ObjectLocation output, ObjectLocation rejects)
    {
        var input = job.Input;
        if (input.Kind == LocationKind.S3 && (input.Path.Length == 0 || input.Path.EndsWith('/')))
        {
            throw new EtlException("LocationInvalid", EtlErrorKind.InvalidArgument, $"'{input}' names a bucket or folder, not an object.",
                "Write S3 inputs as s3://bucket/key.", input.ToString());
        }

        if (output.Kind == LocationKind.S3 && (output.Path.Length == 0 || output.Path.EndsWith('/')))
        {
            throw new EtlException("LocationInvalid", EtlErrorKind.InvalidArgument, $"The output '{output}' names a bucket or folder, not an object.",
                "Write S3 outputs as s3://bucket/key, or end a folder with '/' so each input's name is added.", output.ToString());
        }

        var targets = new List<(string What, ObjectLocation Where)> { ("output", output), ("rejects output", rejects) };
        if (job.LocalOutput is not null)
        {
            targets.Add(("local output", ObjectLocation.File(job.LocalOutput)));
        }

        foreach (var (what, where) in targets)
        {
            bool same = input.Kind == LocationKind.File && where.Kind == LocationKind.File
                ? PathIdentity.Same(input.Path, where.Path)
                : input.Kind == where.Kind && string.Equals(input.ToString(), where.ToString(), StringComparison.Ordinal);
            if (same)
            {
                throw new EtlException("OutputSameAsInput", EtlErrorKind.InvalidArgument,
                    $"The {what} '{where}' is the input '{input}' (after following links); converting would overwrite the data being read.",
                    "Write the output to another file or folder.", where.ToString());
            }
        }
    }

    private static string DisplayedDestination(EtlJob job, ObjectLocation output) =>
        output.Kind == LocationKind.File ? output.Path : job.LocalOutput is not null ? Path.GetFullPath(job.LocalOutput) : $"the temp folder {Path.GetTempPath()} (for {output})";

    private IObjectStore StoreFor(ObjectLocation location) => location.Kind switch
    {
        LocationKind.S3 => _s3 ??= new S3ObjectStore(_aws),
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
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is not OperationCanceledException)
        {
            throw new OperationCanceledException("The conversion was canceled; nothing was written.", ex, cancellationToken);
        }
    }
}
