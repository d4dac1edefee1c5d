using System.Collections.Concurrent;
using System.Text;
using Generic;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace ArgoEtl.Tests.FtpEvents;

/// <summary>The .NET gRPC client (Grpc.Net.Client, generated from the upstream proto) reading one stream in the background.</summary>
public sealed class DotnetSubscription : EventSubscription
{
    private readonly GrpcChannel _channel;
    private readonly CancellationTokenSource _cancel = new();
    private readonly ConcurrentQueue<ReceivedEvent> _events = new();
    private readonly Task _reader;

    public DotnetSubscription(string url, string name, string config)
    {
        _channel = GrpcChannel.ForAddress(url);
        var call = new Eventing.EventingClient(_channel).StartEventSource(
            new EventSource { Name = name, Config = ByteString.CopyFrom(Encoding.UTF8.GetBytes(config)) }, cancellationToken: _cancel.Token);
        _reader = Task.Run(async () =>
        {
            try
            {
                await foreach (var e in call.ResponseStream.ReadAllAsync(_cancel.Token))
                {
                    _events.Enqueue(ReceivedEvent.FromPayload(e.Name, e.Payload.ToStringUtf8()));
                }

                _ended = (0, string.Empty);
            }
            catch (RpcException ex)
            {
                _ended = ((int)ex.StatusCode, ex.Status.Detail);
            }
            catch (OperationCanceledException)
            {
                _ended = ((int)StatusCode.Cancelled, "canceled by the test");
            }
            finally
            {
                call.Dispose();
            }
        });
    }

    public override IReadOnlyList<ReceivedEvent> Events => [.. _events];

    public override (int Code, string Detail)? Ended => _ended;

    private (int Code, string Detail)? _ended;

    public override async ValueTask DisposeAsync()
    {
        await _cancel.CancelAsync();
        await _reader;
        _channel.Dispose();
        _cancel.Dispose();
    }
}
