using OpenClaw.Grains.Interfaces;
using OpenClaw.Runtime;

namespace OpenClaw.Cluster.Tests.Infrastructure;

/// <summary>Where grains live right now: probe grains say it themselves, tenants' grains are found in the activation audit.</summary>
internal static class Placement
{
    /// <summary>Activates (if needed) every probe key and returns key → silo address (<see cref="TimeoutException"/> after <see cref="ClusterTestTimeouts.Attempt"/>).</summary>
    public static async Task<IReadOnlyDictionary<string, string>> OfProbesAsync(IGrainFactory grains, IReadOnlyList<string> keys)
    {
        var answers = await Task.WhenAll(keys.Select(k => grains.GetGrain<IClusterProbeGrain>(k).Where())).WaitAsync(ClusterTestTimeouts.Attempt);
        return keys.Zip(answers).ToDictionary(p => p.First, p => SiloOf(p.Second));
    }

    /// <summary>The silo of each tenant's latest activation in the audit (tenant ids must not be used as other grains' keys).</summary>
    public static async Task<IReadOnlyDictionary<string, string>> OfTenantsAsync(ClusterDatabase database, IEnumerable<TestTenant> tenants)
    {
        var audit = await database.ActivationsAsync();
        return tenants.ToDictionary(t => t.Id, t => audit.Last(r => r.Key == t.Id).Silo);
    }

    /// <summary>The silo part of a <c>Where()</c> answer ("host:port@generation activationId").</summary>
    public static string SiloOf(string where) => where.Split(' ')[0];
}
