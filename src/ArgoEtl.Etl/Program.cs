using System.Runtime.InteropServices;
using System.Text.Json;
using ArgoEtl;
using ArgoEtl.Etl.Cli;
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

    var jobs = parsed.ToJobs(source => source == "-" ? Console.In.ReadToEnd() : File.ReadAllText(source));
    using var runner = new EtlRunner(parsed.S3);
    foreach (var job in jobs)
    {
        var result = await runner.RunAsync(job, null, cancel.Token);
        Console.Out.WriteLine(JsonSerializer.Serialize(result, CliJson.Default.EtlResult));
        if (result.SchemaInferred)
        {
            await Console.Error.WriteLineAsync($"schema inferred for {result.Input}: {result.Schema}");
        }
    }

    return 0;
}
catch (EtlException ex)
{
    await Console.Error.WriteLineAsync($"error[{ex.Code}]: {ex.Message}");
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

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    cancel.Cancel();
}
