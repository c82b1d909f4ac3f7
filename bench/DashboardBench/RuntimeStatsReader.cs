using System.Diagnostics;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Operations.Dashboard;
using OpenClaw.Runtime;

namespace OpenClaw.Bench.Dashboard;

/// <summary>
/// The benchmark's stats source: the real runtime's activations (all 100,000, grouped by type on
/// every read, as a per-silo reader does) and the dashboard's call counter for the call total.
/// </summary>
internal sealed class RuntimeStatsReader(ISiloRuntime runtime, DashboardCallCounter calls, TimeProvider time) : IClusterStatsReader
{
    private readonly DateTimeOffset _startedAt = time.GetUtcNow();

    public Task<ClusterStatsSnapshot> ReadAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var activations = runtime.GetActivations();
        var byType = activations.GroupBy(a => a.Type).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        using var process = Process.GetCurrentProcess();
        var silo = new SiloStats
        {
            Silo = "local",
            HostName = Environment.MachineName,
            At = now,
            StartedAt = _startedAt,
            WorkingSetBytes = process.WorkingSet64,
            ManagedHeapBytes = GC.GetTotalMemory(false),
            Activations = activations.Count,
            MaxActivations = activations.Count * 2,
            ActivationsByType = byType,
            CallsTotal = calls.CallsByType().Values.Sum(),
        };
        return Task.FromResult(new ClusterStatsSnapshot
        {
            At = now,
            Silos = [silo],
            TenantsTotal = activations.Count,
            TenantsActive = byType.GetValueOrDefault(DashboardCallCounter.UserGrainType),
        });
    }
}
