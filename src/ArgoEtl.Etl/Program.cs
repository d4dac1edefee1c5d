using System.Runtime.InteropServices;
using System.Text.Json;
using ArgoEtl;
using ArgoEtl.Etl.Cli;
using ArgoEtl.Etl.Storage;
using ArgoEtl.Etl.Transform;

// argoetl-etl: the workflow step's entrypoint. One JSON line per converted input on stdout; errors on stderr.
// Ctrl+C and the SIGTERM Kubernetes sends on pod deletion both cancel the run, which then publishes nothing.
var cancel = new CancellationTokenSource();
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

try
{
    var parsed = CliArguments.Parse(args);
    if (parsed.Help)
    {
        Console.Out.WriteLine(CliArguments.Usage);
        return 0;
    }

    var jobs = parsed.ToJobs(ReadEventSource);
    using var runner = new EtlRunner(parsed.S3);
    foreach (var job in jobs)
    {
        var result = await runner.RunAsync(job, null, cancel.Token);
        Console.Out.WriteLine(JsonSerializer.Serialize(result, CliJson.Default.EtlResult));
        if (result.SchemaInferred)
        {
            await Console.Error.WriteLineAsync($"schema inferred for {result.Input}: {result.InferenceReport ?? result.Schema}");
        }
    }

    return 0;
}
catch (EtlException ex)
{
    await Console.Error.WriteLineAsync($"error[{ex.Code}]: {UrlRedaction.Redact(ex.Message)}");
    if (ex.Suggestion is not null)
    {
        await Console.Error.WriteLineAsync($"  hint: {ex.Suggestion}");
    }

    return ex.Kind switch
    {
        EtlErrorKind.InvalidData => 1,
        EtlErrorKind.InvalidArgument => 2,
        EtlErrorKind.NotFound or EtlErrorKind.PermissionDenied or EtlErrorKind.Authentication => 3,
        EtlErrorKind.Connection => 4,
        EtlErrorKind.Canceled => 130,
        _ => 70,
    };
}
catch (OperationCanceledException)
{
    await Console.Error.WriteLineAsync("canceled: nothing was published.");
    return 130;
}
catch (Exception ex)
{
    // The last line of defence: a failure no layer knew how to name still gets a code and no stack trace.
    await Console.Error.WriteLineAsync($"error[Internal]: {ex.GetType().Name}: {UrlRedaction.Redact(ex.Message)}");
    await Console.Error.WriteLineAsync("  hint: This is a bug in argoetl-etl; please report it with the command line (without secrets).");
    return 70;
}

static string ReadEventSource(string source)
{
    try
    {
        return source == "-" ? Console.In.ReadToEnd() : File.ReadAllText(source);
    }
    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
    {
        throw new EtlException(EtlErrors.EventFileUnreadable, ex is FileNotFoundException or DirectoryNotFoundException ? EtlErrorKind.NotFound : EtlErrorKind.PermissionDenied,
            $"The event file '{source}' cannot be read: {ex.Message}", "Check the path given after --event @.", source, ex);
    }
}

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    cancel.Cancel();
}
