using ArgoEtl.FtpEvents.Grpc;
using Microsoft.AspNetCore.Server.Kestrel.Core;

// The FTP event server. Listens where --urls / ASPNETCORE_URLS say; gRPC needs HTTP/2, and Argo Events dials
// insecure endpoints with h2c (HTTP/2 without TLS), which Kestrel only speaks when an endpoint is HTTP/2 only.
var builder = WebApplication.CreateBuilder(args);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(endpoint => endpoint.Protocols = HttpProtocols.Http2));
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole(console =>
{
    console.SingleLine = true;
    console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
    console.UseUtcTimestamp = true;
});
builder.Services.AddGrpc();
builder.Services.AddGrpcHealthChecks().AddCheck("ftp-events", () => Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy());
builder.Services.AddSingleton<CheckpointLocks>();

var app = builder.Build();
app.MapGrpcService<EventingService>();
app.MapGrpcHealthChecksService();
await app.RunAsync().ConfigureAwait(false);
