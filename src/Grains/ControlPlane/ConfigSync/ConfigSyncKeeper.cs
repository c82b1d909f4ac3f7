using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Runtime;

namespace OpenClaw.Grains.ControlPlane.ConfigSync;

/// <summary>
/// Runs on every silo when a backend is configured: every sync interval it calls
/// <see cref="IConfigSyncGrain.EnsureRunning"/>, which activates the one sync grain wherever
/// placement puts it (or finds it running). So when the silo hosting it goes away, the next call
/// from any surviving silo brings it back within about one interval. (The runtime has no
/// reminders; this is the same guarantee built from a timer on each silo.)
/// </summary>
internal sealed class ConfigSyncKeeper(IGrainFactory grainFactory, IOptions<ConfigSyncOptions> options, TimeProvider time,
    ILogger<ConfigSyncKeeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled) return;
        var grain = grainFactory.GetGrain<IConfigSyncGrain>(IConfigSyncGrain.ClusterKey);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await grain.EnsureRunning(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                ConfigSyncLog.EnsureRunningFailed(logger, settings.SyncIntervalMs, exception);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                await Task.Delay(settings.SyncInterval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
