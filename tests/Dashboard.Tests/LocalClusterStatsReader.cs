using System.Diagnostics;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Operations.Dashboard;
using OpenClaw.Runtime;

namespace OpenClaw.Dashboard.Tests;

/// <summary>
/// Stand-in for the stats reader (helper "stats" builds the real one): this one silo's real figures,
/// its activations from the runtime's catalog and its call totals from the dashboard's call counter.
/// </summary>
internal sealed class LocalClusterStatsReader(ISiloRuntime runtime, DashboardCallCounter calls, ITenantStore tenants, TimeProvider time) : IClusterStatsReader
{
    private readonly DateTimeOffset _startedAt = time.GetUtcNow();

    public async Task<ClusterStatsSnapshot> ReadAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var activations = runtime.GetActivations();
        var byType = activations.GroupBy(a => a.Type).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        using var process = Process.GetCurrentProcess();
        var registered = await tenants.ListAsync(cancellationToken);
        var silo = new SiloStats
        {
            Silo = "local",
            HostName = Environment.MachineName,
            At = now,
            StartedAt = _startedAt,
            WorkingSetBytes = process.WorkingSet64,
            ManagedHeapBytes = GC.GetTotalMemory(false),
            Activations = activations.Count,
            MaxActivations = 10_000,
            ActivationsByType = byType,
            CallsTotal = calls.CallsByType().Values.Sum(),
        };
        return new ClusterStatsSnapshot
        {
            At = now,
            Silos = [silo],
            TenantsTotal = registered.Count,
            TenantsActive = byType.GetValueOrDefault(DashboardCallCounter.UserGrainType),
        };
    }
}
