using OpenClaw.Runtime;

namespace OpenClaw.Grains.Interfaces;

/// <summary>
/// Pulls tenants, configs and token revocations from the operator's Cloud Backend into the
/// registry and pushes changes to active tenants. One per cluster (key <see cref="ClusterKey"/>);
/// an ordinary grain, so it is reactivated elsewhere when its silo goes away.
/// </summary>
public interface IConfigSyncGrain : IGrainWithStringKey
{
    public const string ClusterKey = "cluster";

    /// <summary>Makes sure the periodic sync runs (every silo calls this on an interval; cheap when it does).</summary>
    Task EnsureRunning(CancellationToken cancellationToken = default);

    /// <summary>Runs one sync pass now (or joins the one in progress) and returns the status after it.</summary>
    Task<ConfigSyncStatus> SyncNow(CancellationToken cancellationToken = default);

    /// <summary>Syncs one tenant now (the backend's push notice).</summary>
    Task<ConfigSyncStatus> SyncTenant(string tenantId, CancellationToken cancellationToken = default);

    Task<ConfigSyncStatus> GetStatus(CancellationToken cancellationToken = default);
}

/// <summary>Where the sync stands; <see cref="ConsecutiveFailures"/> feeds the monitor's alert (3 by default).</summary>
[Immutable]
public sealed record ConfigSyncStatus
{
    /// <summary>False when no <c>multiTenant:cloudBackendUrl</c> is set (standalone mode).</summary>
    public bool Enabled { get; init; }
    public string? BackendUrl { get; init; }
    public DateTimeOffset? LastAttemptAt { get; init; }
    public DateTimeOffset? LastSuccessAt { get; init; }
    public string? LastError { get; init; }
    public int ConsecutiveFailures { get; init; }
    public string? Cursor { get; init; }
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>What the last successful pass changed.</summary>
    public int LastCreated { get; init; }
    public int LastUpdated { get; init; }
    public int LastSuspended { get; init; }
    public int LastDeleted { get; init; }
    public int LastTokensRevoked { get; init; }
    public string? Silo { get; init; }
}
