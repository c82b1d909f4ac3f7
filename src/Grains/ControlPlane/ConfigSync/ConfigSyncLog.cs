using Microsoft.Extensions.Logging;

namespace OpenClaw.Grains.ControlPlane.ConfigSync;

/// <summary>Log messages of the config sync (event ids 3300–3329). They never carry the service token, API keys or token hashes.</summary>
internal static partial class ConfigSyncLog
{
    [LoggerMessage(EventId = 3300, Level = LogLevel.Information, Message = "Config sync is on: every {IntervalMs} ms from {BackendUrl}")]
    public static partial void Started(ILogger logger, long intervalMs, string backendUrl);

    [LoggerMessage(EventId = 3301, Level = LogLevel.Information,
        Message = "Config sync pass done in {ElapsedMs} ms: {Pages} pages, {Created} created, {Updated} updated, {Suspended} suspended, {Deleted} deleted, {TokensRevoked} tokens revoked, {Notified} active tenants notified")]
    public static partial void PassSucceeded(ILogger logger, long elapsedMs, int pages, int created, int updated, int suspended, int deleted, int tokensRevoked, int notified);

    [LoggerMessage(EventId = 3302, Level = LogLevel.Warning,
        Message = "Config sync pass failed ({ConsecutiveFailures} in a row; next attempt in {RetryMs} ms; the registry keeps its last good state): {Error}")]
    public static partial void PassFailed(ILogger logger, int consecutiveFailures, long retryMs, string error);

    [LoggerMessage(EventId = 3303, Level = LogLevel.Warning, Message = "The backend no longer knows the sync cursor; starting a full pass")]
    public static partial void CursorExpired(ILogger logger);

    [LoggerMessage(EventId = 3304, Level = LogLevel.Warning, Message = "Telling tenant {TenantId} about its change failed; it reads it when it next activates")]
    public static partial void NotifyFailed(ILogger logger, string tenantId, Exception exception);

    [LoggerMessage(EventId = 3305, Level = LogLevel.Information, Message = "Config sync of tenant {TenantId} on the backend's notice: {Outcome}")]
    public static partial void TenantSynced(ILogger logger, string tenantId, string outcome);

    [LoggerMessage(EventId = 3306, Level = LogLevel.Warning, Message = "Making sure the config sync runs failed; trying again in {IntervalMs} ms")]
    public static partial void EnsureRunningFailed(ILogger logger, long intervalMs, Exception exception);

    [LoggerMessage(EventId = 3307, Level = LogLevel.Warning, Message = "Saving the config sync state failed")]
    public static partial void StateWriteFailed(ILogger logger, Exception exception);
}
