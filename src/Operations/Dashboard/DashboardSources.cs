using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Runtime;

namespace OpenClaw.Operations.Dashboard;

/// <summary>
/// The dashboard's optional sources: the monitor's alerts and the config sync's status (grains),
/// each read with a timeout. When one is missing from this process or fails, the answer says so
/// ("not available" and why) instead of failing the whole page.
/// </summary>
internal sealed class DashboardSources(IServiceProvider services, IOptions<DashboardOptions> options, ILogger<DashboardSources> logger)
{
    private readonly DashboardOptions _options = options.Value;

    public async Task<AlertsView> ReadAlertsAsync(CancellationToken cancellationToken)
    {
        var (state, result) = await ReadGrainAsync<IMonitorGrain, (IReadOnlyList<AlertRecord>, IReadOnlyList<AlertRecord>)>(
            "alerts", IMonitorGrain.ClusterKey,
            async (monitor, token) => (await monitor.GetActiveAlerts(token).ConfigureAwait(false),
                await monitor.GetAlertHistory(_options.AlertHistoryLimit, token).ConfigureAwait(false)),
            cancellationToken).ConfigureAwait(false);
        return new AlertsView(state, result.Item1 ?? [], result.Item2 ?? []);
    }

    public async Task<SyncView> ReadSyncAsync(CancellationToken cancellationToken)
    {
        var (state, status) = await ReadGrainAsync<IConfigSyncGrain, ConfigSyncStatus?>(
            "config sync", IConfigSyncGrain.ClusterKey,
            async (sync, token) => await sync.GetStatus(token).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
        return new SyncView(state, status);
    }

    private async Task<(SourceState, TResult?)> ReadGrainAsync<TGrain, TResult>(
        string source, string key, Func<TGrain, CancellationToken, Task<TResult>> read, CancellationToken cancellationToken)
        where TGrain : IGrainWithStringKey
    {
        var grains = services.GetService<IGrainFactory>();
        if (grains is null) return (NotAvailable(source, "this process has no grain runtime or client"), default);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.SourceTimeoutMs);
        try
        {
            return (SourceState.Ok, await read(grains.GetGrain<TGrain>(key), timeout.Token).ConfigureAwait(false));
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            return (NotAvailable(source, exception is OperationCanceledException ? "it did not answer in time" : exception.Message), default);
        }
    }

    private SourceState NotAvailable(string source, string reason)
    {
        DashboardLog.SourceNotAvailable(logger, source, reason);
        return SourceState.NotAvailable(reason);
    }
}
