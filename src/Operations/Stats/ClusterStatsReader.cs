using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Operations.Stats;

/// <summary>
/// <see cref="IClusterStatsReader"/> for any process that can call grains (silo or edge): asks
/// every serving silo for its figures in parallel, lists those that did not answer in time, and
/// adds the tenant counts of the registry when the host has one.
/// </summary>
public sealed class ClusterStatsReader(
    SiloFanOut fanOut,
    IServiceProvider services,
    IOptions<ClusterStatsOptions> options,
    TimeProvider time,
    ILogger<ClusterStatsReader> logger) : IClusterStatsReader
{
    public async Task<ClusterStatsSnapshot> ReadAsync(CancellationToken cancellationToken)
    {
        var timeout = options.Value.SiloTimeout;
        var silos = fanOut.CallAllAsync((silo, ct) => silo.GetStats(ct), timeout, cancellationToken);
        var tenants = CountTenantsAsync(timeout, cancellationToken);
        var gathered = await silos.ConfigureAwait(false);
        var counts = await tenants.ConfigureAwait(false);
        return new ClusterStatsSnapshot
        {
            At = time.GetUtcNow(),
            Silos = gathered.Answers.OrderBy(s => s.Silo, StringComparer.Ordinal).ToArray(),
            Unreachable = gathered.Unreachable.Select(u => u.Silo).ToArray(),
            TenantCountsKnown = counts is not null,
            TenantsTotal = counts?.Total ?? 0,
            TenantsActive = counts?.Active ?? 0,
            TenantsSuspended = counts?.Suspended ?? 0,
        };
    }

    private async Task<TenantCounts?> CountTenantsAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (services.GetService<ITenantRegistry>() is not { } registry) return null;
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        try
        {
            var total = registry.CountAsync(null, bounded.Token);
            var active = registry.CountAsync(TenantStatus.Active, bounded.Token);
            var suspended = registry.CountAsync(TenantStatus.Suspended, bounded.Token);
            return new TenantCounts(await total.ConfigureAwait(false), await active.ConfigureAwait(false), await suspended.ConfigureAwait(false));
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            OperationsStatsLog.TenantCountsFailed(logger, ex.Message);
            return null;
        }
    }

    private sealed record TenantCounts(long Total, long Active, long Suspended);
}
