using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenClaw.EdgeGateway.Connections;
using OpenClaw.EdgeGateway.Diagnostics;
using OpenClaw.Operations.Telemetry;
using OpenClaw.Runtime.Client;

namespace OpenClaw.EdgeGateway.Hosting;

/// <summary>
/// The standalone edge's telemetry: the <c>OpenClaw.Edge</c> meter at <c>/metrics</c> and to OTLP,
/// the edge's request spans (their context travels to the silos in the request frames), the log
/// format, and the <c>/health/live</c> and <c>/health/ready</c> probes.
/// </summary>
public static class EdgeTelemetry
{
    public const string ServiceName = "openclaw-edge";

    public static IServiceCollection AddEdgeTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddLogging(logging => logging.AddOpenClawLogFormat(configuration));
        services.AddOpenClawTelemetry(configuration, ServiceName, [EdgeInstruments.MeterName], [EdgeInstruments.ActivitySourceName]);
        services.AddHealthChecks().AddCheck<EdgeReadyCheck>("edge", tags: [HealthProbes.ReadyTag]);
        return services;
    }

    public static WebApplication MapEdgeTelemetry(this WebApplication app)
    {
        app.MapOpenClawMetrics();
        app.MapHealthProbes();
        return app;
    }
}

/// <summary>Ready while connected to at least one silo and not draining (same rule as <c>/health</c>).</summary>
internal sealed class EdgeReadyCheck(ClusterClient client, ConnectionRegistry registry) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(
            registry.IsStopping ? HealthCheckResult.Unhealthy("draining")
            : client.ConnectedSilos == 0 ? HealthCheckResult.Unhealthy("no silo connected")
            : HealthCheckResult.Healthy($"{client.ConnectedSilos} silo(s) connected"));
}
