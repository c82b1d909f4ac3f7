using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Runtime;

namespace OpenClaw.Grains.ControlPlane.Monitor;

/// <summary>
/// Runs on every silo and keeps the one monitor grain running (<see cref="ClusterSingletonKeeper"/>):
/// when the silo hosting it goes away, it is back within about one monitor interval on a surviving
/// silo, with its alerts (they are in grain storage).
/// </summary>
internal sealed class MonitorKeeper(IGrainFactory grainFactory, IOptions<MonitorOptions> options, TimeProvider time,
    ILogger<MonitorKeeper> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled) return Task.CompletedTask;
        var grain = grainFactory.GetGrain<IMonitorGrain>(IMonitorGrain.ClusterKey);
        return ClusterSingletonKeeper.KeepRunningAsync(grain.EnsureRunning, settings.Interval, time,
            exception => MonitorLog.EnsureRunningFailed(logger, settings.IntervalMs, exception), stoppingToken);
    }
}
