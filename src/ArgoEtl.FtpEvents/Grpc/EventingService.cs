using ArgoEtl.FtpEvents.Config;
using ArgoEtl.FtpEvents.Logging;
using ArgoEtl.FtpEvents.Watching;
using Generic;
using Google.Protobuf;
using Grpc.Core;

namespace ArgoEtl.FtpEvents.Grpc;

/// <summary>
/// Argo Events' generic event source contract: the EventSource dials <c>spec.generic.&lt;name&gt;.url</c> and calls
/// StartEventSource with the event name and its <c>config</c>; every Event written back is one Argo event (with
/// <c>jsonBody: true</c> its payload becomes the event body). Each call is an independent watcher with its own config
/// and checkpoint; a call ending (the client gone) stops only that watcher.
/// </summary>
internal sealed class EventingService(ILogger<EventingService> logger, IHostApplicationLifetime lifetime, CheckpointLocks locks) : Eventing.EventingBase
{
    public override async Task StartEventSource(EventSource request, IServerStreamWriter<Event> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        WatchConfig config;
        try
        {
            config = WatchConfigParser.Parse(request.Config.Span);
        }
        catch (EtlException ex) when (ex.Code == WatchConfigParser.ErrorCode)
        {
            Log.ConfigRejected(logger, request.Name, ex.Target?.ToString() ?? "config", ex.Message);
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"config field '{ex.Target}': {ex.Message} {ex.Suggestion}".TrimEnd()));
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        Log.StreamOpened(logger, request.Name, context.Peer);
        try
        {
            using var held = await locks.AcquireAsync(config.Checkpoint, stop.Token).ConfigureAwait(false);
            var watcher = new FtpWatcher(config, logger, FtpCredentials.FromEnvironment);
            await watcher.RunAsync(
                (file, ct) => responseStream.WriteAsync(new Event { Name = request.Name, Payload = ByteString.CopyFrom(file.ToJsonBytes()) }, ct),
                stop.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (stop.IsCancellationRequested && ex is OperationCanceledException or IOException or InvalidOperationException)
        {
            // A write to a client that just went away fails with whichever of these the transport noticed first.
            Log.StreamEnded(logger, request.Name,
                context.CancellationToken.IsCancellationRequested ? "the client went away" : "the server is stopping");
        }
        catch (EtlException ex)
        {
            Log.StreamFailed(logger, request.Name, ex.Code, ex.Message);
            var code = ex.Kind switch
            {
                EtlErrorKind.Authentication => StatusCode.Unauthenticated,
                EtlErrorKind.InvalidArgument => StatusCode.InvalidArgument,
                EtlErrorKind.InvalidData => StatusCode.FailedPrecondition,
                _ => StatusCode.Unavailable,
            };
            throw new RpcException(new Status(code, $"{ex.Code}: {ex.Message} {ex.Suggestion}".TrimEnd()));
        }
    }
}
