using Microsoft.Extensions.Logging;

namespace OpenClaw.Grains.Gateway.Cron;

/// <summary>Log messages of the tenant's scheduled jobs and heartbeat (event ids 3100–3119).</summary>
internal static partial class CronLog
{
    [LoggerMessage(EventId = 3100, Level = LogLevel.Information, Message = "Tenant {TenantId}: cron job {JobId} started run {RunId} ({Trigger})")]
    public static partial void JobStarted(ILogger logger, string tenantId, string jobId, string runId, string trigger);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Tenant {TenantId}: heartbeat run {RunId} started ({Reason})")]
    public static partial void HeartbeatStarted(ILogger logger, string tenantId, string runId, string reason);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "Tenant {TenantId}: setting the schedule reminder failed; retried at the next change or activation")]
    public static partial void ScheduleFailed(ILogger logger, string tenantId, Exception exception);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Debug, Message = "Tenant {TenantId}: schedule reminder {Reminder} set to {Next}")]
    public static partial void Scheduled(ILogger logger, string tenantId, string reminder, DateTimeOffset? next);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Debug, Message = "Tenant {TenantId}: reminder {Reminder} fired (due {Due})")]
    public static partial void ReminderFired(ILogger logger, string tenantId, string reminder, DateTimeOffset due);
}
