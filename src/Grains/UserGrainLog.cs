using Microsoft.Extensions.Logging;
using OpenClaw.Grains.Gateway;

namespace OpenClaw.Grains;

/// <summary>Log messages of the UserGrain and its gateway handlers (event ids 3000–3099).</summary>
internal static partial class UserGrainLog
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Debug, Message = "Tenant {TenantId} activated ({Sessions} sessions)")]
    public static partial void Activated(ILogger logger, string tenantId, int sessions);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "Tenant {TenantId} deactivating ({Reason}); aborting {Runs} runs")]
    public static partial void Deactivating(ILogger logger, string tenantId, string reason, int runs);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Tenant {TenantId} is unavailable: {Reason}")]
    public static partial void TenantUnavailable(ILogger logger, string tenantId, string reason);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "Loading tenant {TenantId} from the tenant store failed")]
    public static partial void TenantLoadFailed(ILogger logger, string tenantId, Exception exception);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Error, Message = "Tenant {TenantId}: {Method} (request {RequestId}) failed")]
    public static partial void HandlerFailed(ILogger logger, string tenantId, string method, string? requestId, Exception exception);

    [LoggerMessage(EventId = 3020, Level = LogLevel.Debug, Message = "Tenant {TenantId}: run {RunId} ({Kind}) accepted for {SessionKey}, queued: {Queued}")]
    public static partial void RunAccepted(ILogger logger, string tenantId, string runId, string sessionKey, RunKind kind, bool queued);

    [LoggerMessage(EventId = 3021, Level = LogLevel.Information, Message = "Tenant {TenantId}: run {RunId} ended {Status} ({StopReason}), tokens in {InputTokens} out {OutputTokens}")]
    public static partial void RunEnded(ILogger logger, string tenantId, string runId, RunStatus status, string? stopReason, int inputTokens, int outputTokens);

    [LoggerMessage(EventId = 3022, Level = LogLevel.Warning, Message = "Tenant {TenantId}: run {RunId} failed at provider {Provider} (HTTP {StatusCode}): {Error}")]
    public static partial void RunProviderFailed(ILogger logger, string tenantId, string runId, string? provider, int? statusCode, string error);

    [LoggerMessage(EventId = 3023, Level = LogLevel.Error, Message = "Tenant {TenantId}: run {RunId} failed unexpectedly")]
    public static partial void RunFailed(ILogger logger, string tenantId, string runId, Exception exception);

    [LoggerMessage(EventId = 3024, Level = LogLevel.Information, Message = "Tenant {TenantId}: run {RunId} reached its event budget after {EventBytes} bytes; no more live text events, the final carries the whole answer")]
    public static partial void RunLiveTextStopped(ILogger logger, string tenantId, string runId, long eventBytes);

    [LoggerMessage(EventId = 3025, Level = LogLevel.Warning, Message = "Tenant {TenantId}: {Runs} acknowledged runs were interrupted by a restart; their prompts are recorded as interrupted")]
    public static partial void RunsInterrupted(ILogger logger, string tenantId, int runs);

    [LoggerMessage(EventId = 3030, Level = LogLevel.Error, Message = "Tenant {TenantId}: writing state after {Reason} failed; it stays dirty and is retried")]
    public static partial void StateWriteFailed(ILogger logger, string tenantId, string reason, Exception exception);

    [LoggerMessage(EventId = 3031, Level = LogLevel.Error, Message = "Tenant {TenantId}: state write after {Reason} conflicted (stored etag {StoredEtag}, expected {ExpectedEtag}); another activation wrote it, deactivating")]
    public static partial void StateConflict(ILogger logger, string tenantId, string reason, int storedEtag, int expectedEtag);

    [LoggerMessage(EventId = 3040, Level = LogLevel.Information, Message = "Tenant {TenantId}: config patched ({Keys})")]
    public static partial void ConfigPatched(ILogger logger, string tenantId, string keys);

    [LoggerMessage(EventId = 3050, Level = LogLevel.Warning, Message = "Tenant {TenantId}: delivering {Event} to connection {ConnectionId} failed")]
    public static partial void EventDeliveryFailed(ILogger logger, string tenantId, string @event, string connectionId, Exception exception);
}
