using Microsoft.Extensions.Logging;

namespace OpenClaw.Operations.Dashboard;

internal static partial class DashboardLog
{
    [LoggerMessage(EventId = 9101, Level = LogLevel.Warning, Message = "Dashboard: reading the cluster stats failed")]
    public static partial void StatsReadFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 9102, Level = LogLevel.Debug, Message = "Dashboard: source {Source} not available: {Reason}")]
    public static partial void SourceNotAvailable(ILogger logger, string source, string reason);

    [LoggerMessage(EventId = 9103, Level = LogLevel.Information, Message = "Dashboard: operator login from {RemoteAddress}")]
    public static partial void LoggedIn(ILogger logger, string? remoteAddress);

    [LoggerMessage(EventId = 9104, Level = LogLevel.Warning, Message = "Dashboard: refused login from {RemoteAddress}")]
    public static partial void LoginRefused(ILogger logger, string? remoteAddress);

    [LoggerMessage(EventId = 9105, Level = LogLevel.Information, Message = "Dashboard: operator loaded tenant {TenantId} explicitly")]
    public static partial void TenantLoaded(ILogger logger, string tenantId);
}
