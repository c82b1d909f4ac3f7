using OpenClaw.Runtime;

namespace OpenClaw.Grains.Interfaces;

/// <summary>
/// Figures of every silo, gathered on demand (the CLI's <c>multi-tenant stats</c>, the dashboard,
/// the monitor). Implemented in the silo host; the same numbers everywhere.
/// </summary>
public interface IClusterStatsReader
{
    Task<ClusterStatsSnapshot> ReadAsync(CancellationToken cancellationToken);
}

[Immutable]
public sealed record ClusterStatsSnapshot
{
    public DateTimeOffset At { get; init; }
    public IReadOnlyList<SiloStats> Silos { get; init; } = [];
    public long TenantsTotal { get; init; }
    public long TenantsActive { get; init; }
    public long TenantsSuspended { get; init; }

    /// <summary>
    /// Whether the tenant figures above come from a tenant registry; false (and the figures 0) when
    /// the host has none to count from. They count registered tenants by status; tenants active in
    /// memory are each silo's <see cref="SiloStats.ActivationsByType"/> <c>user</c>.
    /// </summary>
    public bool TenantCountsKnown { get; init; }

    /// <summary>Silos that were in the membership view but did not answer.</summary>
    public IReadOnlyList<string> Unreachable { get; init; } = [];
}

/// <summary>One silo's figures at <see cref="At"/>.</summary>
[Immutable]
public sealed record SiloStats
{
    /// <summary><c>host:port@generation</c>, or <c>local</c> for a single silo.</summary>
    public required string Silo { get; init; }
    public string Status { get; init; } = "Active";
    public string HostName { get; init; } = "";
    public DateTimeOffset At { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public double CpuPercent { get; init; }
    public long WorkingSetBytes { get; init; }
    public long ManagedHeapBytes { get; init; }

    public int Activations { get; init; }

    /// <summary>The activation cap (<c>multiTenant:maxCachedUsers</c>).</summary>
    public int MaxActivations { get; init; }
    public IReadOnlyDictionary<string, int> ActivationsByType { get; init; } = new Dictionary<string, int>();

    /// <summary>Grain calls handled by this silo since it started, and the failed ones.</summary>
    public long CallsTotal { get; init; }
    public long CallFailuresTotal { get; init; }
    public long CallTimeoutsTotal { get; init; }

    /// <summary>Recent call latency (a sliding window of the last minute or so).</summary>
    public double CallLatencyP50Ms { get; init; }
    public double CallLatencyP99Ms { get; init; }

    public long ActivationsCreatedTotal { get; init; }
    public long ActivationsCollectedTotal { get; init; }

    /// <summary>Edge figures when this process hosts an edge (0 otherwise).</summary>
    public int EdgeConnections { get; init; }

    /// <summary>Chat runs and provider failures since start.</summary>
    public long ChatRunsTotal { get; init; }
    public long ProviderErrorsTotal { get; init; }
}
