using Microsoft.Extensions.Logging;

namespace OpenClaw.Operations.Stats;

internal static partial class OperationsStatsLog
{
    [LoggerMessage(EventId = 7101, Level = LogLevel.Warning, Message = "Silo {Silo} did not answer an operator request: {Reason}")]
    public static partial void SiloUnreachable(ILogger logger, string silo, string reason);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Warning, Message = "Tenant counts could not be read from the registry: {Reason}")]
    public static partial void TenantCountsFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 7103, Level = LogLevel.Information, Message = "Operator cleanup deactivated {Deactivated} idle tenants (idle for {IdleFor}) on {Silos} silos, {Unreachable} unreachable")]
    public static partial void CleanupDone(ILogger logger, int deactivated, TimeSpan idleFor, int silos, int unreachable);
}
