using Microsoft.Extensions.Logging;

namespace OpenClaw.Runtime;

internal static partial class ClusterLog
{
    [LoggerMessage(1200, LogLevel.Warning, "Could not route a call to {GrainId}: {Reason}")]
    public static partial void RoutingFailed(ILogger logger, GrainId grainId, string reason);

    [LoggerMessage(1201, LogLevel.Information, "Removed {Count} grain directory entries of dead silos")]
    public static partial void DeadEntriesRemoved(ILogger logger, int count);

    [LoggerMessage(1202, LogLevel.Warning, "Could not remove directory entries of dead silos: {Reason}")]
    public static partial void DirectoryCleanupFailed(ILogger logger, string reason);

    [LoggerMessage(1203, LogLevel.Warning, "Could not unregister {GrainId} from the grain directory: {Reason} (the entry is replaced once found stale)")]
    public static partial void UnregisterFailed(ILogger logger, GrainId grainId, string reason);

    [LoggerMessage(1210, LogLevel.Information, "Silo {Silo} joined the membership table as Joining")]
    public static partial void Joined(ILogger logger, SiloAddress silo);

    [LoggerMessage(1211, LogLevel.Information, "Silo {Silo} is now {Status}")]
    public static partial void StatusChanged(ILogger logger, SiloAddress silo, SiloStatus status);

    [LoggerMessage(1212, LogLevel.Warning, "Heartbeat failed ({Failures} in a row): {Reason}; the lease expires {LeaseMs} ms after the last success")]
    public static partial void HeartbeatFailed(ILogger logger, int failures, string reason, long leaseMs);

    [LoggerMessage(1213, LogLevel.Information, "Heartbeat works again after {Failures} failures")]
    public static partial void HeartbeatRecovered(ILogger logger, int failures);

    [LoggerMessage(1214, LogLevel.Critical, "This silo ({Silo}) was declared dead by the cluster: it stops at once without persisting anything (a new silo may own its grains)")]
    public static partial void DeclaredDead(ILogger logger, SiloAddress silo);

    [LoggerMessage(1215, LogLevel.Warning, "Silo {Suspect} missed {Misses} probes in a row: voting that it is dead")]
    public static partial void Suspecting(ILogger logger, SiloAddress suspect, int misses);

    [LoggerMessage(1216, LogLevel.Warning, "Silo {Silo} is declared dead")]
    public static partial void SiloDeclaredDead(ILogger logger, SiloAddress silo);

    [LoggerMessage(1217, LogLevel.Information, "Membership changed (version {Version}): {Active} active, {ShuttingDown} shutting down, {Dead} dead")]
    public static partial void MembershipChanged(ILogger logger, long version, int active, int shuttingDown, int dead);

    [LoggerMessage(1218, LogLevel.Warning, "Reading the membership table failed: {Reason}")]
    public static partial void RefreshFailed(ILogger logger, string reason);

    [LoggerMessage(1219, LogLevel.Warning, "Voting against {Suspect} failed: {Reason}")]
    public static partial void SuspectFailed(ILogger logger, SiloAddress suspect, string reason);

    [LoggerMessage(1220, LogLevel.Information, "Lifecycle: {Direction} stage {Stage}")]
    public static partial void Stage(ILogger logger, string direction, SiloLifecycleStage stage);

    [LoggerMessage(1223, LogLevel.Error, "Stopping {Participant} at stage {Stage} failed")]
    public static partial void StageStopFailed(ILogger logger, Exception exception, string participant, SiloLifecycleStage stage);

    [LoggerMessage(1221, LogLevel.Information, "Draining: {Count} activations to deactivate; new activations go to other silos")]
    public static partial void Draining(ILogger logger, int count);

    [LoggerMessage(1222, LogLevel.Warning, "Leaving the membership table failed: {Reason}")]
    public static partial void LeaveFailed(ILogger logger, string reason);
}
