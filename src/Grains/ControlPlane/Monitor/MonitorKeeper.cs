using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Runtime;

namespace OpenClaw.Grains.ControlPlane.Monitor;

/// <summary>
/// Runs on every silo: every monitor interval it calls <see cref="IMonitorGrain.EnsureRunning"/>,
/// which activates the one monitor wherever placement puts it (or finds it running). When the silo
/// hosting it goes away, the next call from a surviving silo brings it back within about one
/// interval, with its alerts (they are in grain storage). The runtime has no reminders; this is the
/// same guarantee built from a loop on each silo.
/// </summary>
internal sealed class MonitorKeeper(IGrainFactory grainFactory, IOptions<MonitorOptions> options, TimeProvider time,
    ILogger<MonitorKeeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled) return;
        var monitor = grainFactory.GetGrain<IMonitorGrain>(IMonitorGrain.ClusterKey);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await monitor.EnsureRunning(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                MonitorLog.EnsureRunningFailed(logger, settings.IntervalMs, exception);
            }

            try
            {
                await Task.Delay(settings.Interval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
