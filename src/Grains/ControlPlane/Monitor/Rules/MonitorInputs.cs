using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.ControlPlane.Monitor.Rules;

/// <summary>
/// What one evaluation works from: the cluster's figures and the sync status (each null when it
/// could not be read), and the counters' change over the last interval per silo.
/// </summary>
internal sealed record MonitorInputs(
    DateTimeOffset At,
    ClusterStatsSnapshot? Cluster,
    ConfigSyncStatus? Sync,
    IReadOnlyDictionary<string, SiloCounterDelta> Deltas)
{
    public bool IsUnreachable(string silo) => Cluster?.Unreachable.Contains(silo, StringComparer.Ordinal) == true;
}
