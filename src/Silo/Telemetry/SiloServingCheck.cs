using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenClaw.Runtime;

namespace OpenClaw.Silo.Telemetry;

/// <summary>
/// Ready while the silo serves: its lifecycle reached the serving stage (in a cluster, after it
/// joined the membership as active) and it is not stopping. Starting and draining are unhealthy,
/// so a balancer sends no new connections while the silo cannot take them.
/// </summary>
internal sealed class SiloServingCheck(ISiloLifecycle lifecycle) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(lifecycle.IsServing
            ? HealthCheckResult.Healthy("serving")
            : HealthCheckResult.Unhealthy(lifecycle.IsStopping ? "draining" : $"starting ({lifecycle.CurrentStage?.ToString() ?? "not started"})"));
}
