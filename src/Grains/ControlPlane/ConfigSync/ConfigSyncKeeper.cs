using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Runtime;

namespace OpenClaw.Grains.ControlPlane.ConfigSync;

/// <summary>
/// Runs on every silo when a backend is configured and keeps the one sync grain running
/// (<see cref="ClusterSingletonKeeper"/>): when the silo hosting it goes away, it is back within about
/// one sync interval on a surviving silo.
/// </summary>
internal sealed class ConfigSyncKeeper(IGrainFactory grainFactory, IOptions<ConfigSyncOptions> options, TimeProvider time,
    ILogger<ConfigSyncKeeper> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled) return Task.CompletedTask;
        var grain = grainFactory.GetGrain<IConfigSyncGrain>(IConfigSyncGrain.ClusterKey);
        return ClusterSingletonKeeper.KeepRunningAsync(grain.EnsureRunning, settings.SyncInterval, time,
            exception => ConfigSyncLog.EnsureRunningFailed(logger, settings.SyncIntervalMs, exception), stoppingToken);
    }
}
