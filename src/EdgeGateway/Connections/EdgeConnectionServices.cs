using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenClaw.EdgeGateway.Auth;
using OpenClaw.EdgeGateway.Diagnostics;
using OpenClaw.Runtime;

namespace OpenClaw.EdgeGateway.Connections;

/// <summary>The singletons every connection uses, gathered so that a connection takes one dependency.</summary>
internal sealed class EdgeConnectionServices(
    IOptions<EdgeGatewayOptions> options,
    IGrainFactory grainFactory,
    ConnectHandshake handshake,
    TokenDirectory tokens,
    ConnectionRegistry registry,
    TenantLoadRegistry tenantLoads,
    TenantEventHubs eventHubs,
    TimeProvider time,
    ILoggerFactory loggerFactory,
    EdgeInstruments instruments)
{
    private readonly long _startedAt = time.GetTimestamp();

    public EdgeGatewayOptions Options { get; } = options.Value;
    public IGrainFactory GrainFactory { get; } = grainFactory;
    public ConnectHandshake Handshake { get; } = handshake;
    public TokenDirectory Tokens { get; } = tokens;
    public ConnectionRegistry Registry { get; } = registry;
    public TenantLoadRegistry TenantLoads { get; } = tenantLoads;
    public TenantEventHubs EventHubs { get; } = eventHubs;
    public TimeProvider Time { get; } = time;
    public EdgeInstruments Instruments { get; } = instruments;
    public ILogger Logger { get; } = loggerFactory.CreateLogger("OpenClaw.EdgeGateway.Connection");

    /// <summary>Milliseconds since the edge started (hello-ok <c>snapshot.uptimeMs</c>).</summary>
    public long UptimeMs => (long)Time.GetElapsedTime(_startedAt).TotalMilliseconds;

    public long NowMs => Time.GetUtcNow().ToUnixTimeMilliseconds();
}
