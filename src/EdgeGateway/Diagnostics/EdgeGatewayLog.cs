using Microsoft.Extensions.Logging;

namespace OpenClaw.EdgeGateway.Diagnostics;

/// <summary>
/// The edge's structured log messages (source generated). Tokens never appear in them: only
/// tenant ids, connection ids, client ids and addresses.
/// </summary>
internal static partial class EdgeGatewayLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Connection {ConnectionId} opened from {RemoteAddress}")]
    public static partial void ConnectionOpened(ILogger logger, string connectionId, string remoteAddress);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information,
        Message = "Connection {ConnectionId} authenticated for tenant {TenantId}: client {ClientId}/{ClientMode}, role {Role}, device {DeviceId}")]
    public static partial void ConnectionAuthenticated(ILogger logger, string connectionId, string tenantId, string clientId, string clientMode, string role, string deviceId);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information,
        Message = "Connection {ConnectionId} from {RemoteAddress} rejected during handshake ({DetailCode}): close {CloseCode} {Reason}")]
    public static partial void HandshakeRejected(ILogger logger, string connectionId, string remoteAddress, string detailCode, int closeCode, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information,
        Message = "Connection {ConnectionId} of tenant {TenantId} closed after {DurationMs} ms")]
    public static partial void ConnectionClosed(ILogger logger, string connectionId, string tenantId, long durationMs);

    [LoggerMessage(EventId = 5, Level = LogLevel.Debug,
        Message = "Connect from {RemoteAddress} refused unchecked after repeated token failures; retry after {RetryAfterMs} ms")]
    public static partial void AuthRateLimited(ILogger logger, string remoteAddress, long retryAfterMs);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning,
        Message = "Request {Method} of connection {ConnectionId} (tenant {TenantId}) failed in the tenant grain")]
    public static partial void GrainCallFailed(ILogger logger, Exception exception, string connectionId, string tenantId, string method);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning,
        Message = "Request {Method} of connection {ConnectionId} (tenant {TenantId}) timed out after {TimeoutMs} ms")]
    public static partial void GrainCallTimedOut(ILogger logger, string connectionId, string tenantId, string method, long timeoutMs);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning,
        Message = "Connection {ConnectionId} closed as a slow consumer: more than {MaxBufferedBytes} bytes queued")]
    public static partial void SlowConsumer(ILogger logger, string connectionId, long maxBufferedBytes);

    [LoggerMessage(EventId = 9, Level = LogLevel.Warning,
        Message = "Event subscription {SubscriberId} (tenant {TenantId}) failed; retrying in {RetryMs} ms")]
    public static partial void SubscribeFailed(ILogger logger, Exception exception, string subscriberId, string tenantId, long retryMs);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning,
        Message = "Credentials of connection {ConnectionId} (tenant {TenantId}) were revoked; closing with 4001")]
    public static partial void CredentialsRevoked(ILogger logger, string connectionId, string tenantId);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information,
        Message = "Edge is stopping: sending shutdown to {ConnectionCount} connections")]
    public static partial void ShuttingDown(ILogger logger, int connectionCount);

    [LoggerMessage(EventId = 12, Level = LogLevel.Debug, Message = "Connection {ConnectionId} sent an invalid frame: {Message}")]
    public static partial void InvalidFrame(ILogger logger, string connectionId, string message);

    [LoggerMessage(EventId = 13, Level = LogLevel.Error,
        Message = "Token lookup failed for a connect from {RemoteAddress}; answering UNAVAILABLE")]
    public static partial void TenantLookupFailed(ILogger logger, Exception exception, string remoteAddress);

    [LoggerMessage(EventId = 14, Level = LogLevel.Debug, Message = "Writing to connection {ConnectionId} failed; aborting it")]
    public static partial void WriteFailed(ILogger logger, Exception exception, string connectionId);

    [LoggerMessage(EventId = 15, Level = LogLevel.Warning,
        Message = "The tenant grain returned invalid JSON for {Kind} {Name} on connection {ConnectionId}")]
    public static partial void InvalidGrainJson(ILogger logger, Exception exception, string connectionId, string kind, string name);

    [LoggerMessage(EventId = 16, Level = LogLevel.Debug, Message = "Connection {ConnectionId} ended abruptly")]
    public static partial void ConnectionAborted(ILogger logger, Exception exception, string connectionId);

    [LoggerMessage(EventId = 17, Level = LogLevel.Warning,
        Message = "Reply to {Method} on connection {ConnectionId} announced a final response without a runId; no final response will follow")]
    public static partial void FinalPendingWithoutRunId(ILogger logger, string connectionId, string method);

    [LoggerMessage(EventId = 18, Level = LogLevel.Debug, Message = "Unsubscribing {SubscriberId} (tenant {TenantId}) failed")]
    public static partial void UnsubscribeFailed(ILogger logger, Exception exception, string subscriberId, string tenantId);

    [LoggerMessage(EventId = 19, Level = LogLevel.Warning,
        Message = "Token re-check of connection {ConnectionId} (tenant {TenantId}) failed; keeping the connection until the next check")]
    public static partial void TokenRecheckFailed(ILogger logger, Exception exception, string connectionId, string tenantId);

    [LoggerMessage(EventId = 20, Level = LogLevel.Error, Message = "Connection {ConnectionId} failed unexpectedly; closing it with 1011")]
    public static partial void ConnectionFailed(ILogger logger, Exception exception, string connectionId);

    [LoggerMessage(EventId = 21, Level = LogLevel.Information,
        Message = "Connection {ConnectionId} sent {Count} invalid frames in all; {Suppressed} of them were not logged")]
    public static partial void InvalidFramesSummary(ILogger logger, string connectionId, int count, int suppressed);

    [LoggerMessage(EventId = 22, Level = LogLevel.Warning,
        Message = "Connection {ConnectionId} closed as a slow consumer: tenant {TenantId} holds too many bytes on this edge")]
    public static partial void TenantSlowConsumer(ILogger logger, string connectionId, string tenantId);

    [LoggerMessage(EventId = 23, Level = LogLevel.Debug,
        Message = "Request on connection {ConnectionId} refused: tenant {TenantId} is at its cap of {Resource} in flight")]
    public static partial void TenantBusy(ILogger logger, string connectionId, string tenantId, string resource);

    [LoggerMessage(EventId = 24, Level = LogLevel.Error,
        Message = "Tenant {TenantId} cannot be activated: its stored state is damaged and must be restored ({Method} refused)")]
    public static partial void TenantStateDamaged(ILogger logger, Exception exception, string tenantId, string method);

    [LoggerMessage(EventId = 25, Level = LogLevel.Debug,
        Message = "Connection {ConnectionId} (tenant {TenantId}): {Method} waits for the tenant to move to a live silo: {Reason}")]
    public static partial void RetryingAfterSiloLoss(ILogger logger, string connectionId, string tenantId, string method, string reason);

    [LoggerMessage(EventId = 26, Level = LogLevel.Warning,
        Message = "Reporting connection {ConnectionId} {Change} to tenant {TenantId} failed; retried at the next subscription renewal")]
    public static partial void ConnectionReportFailed(ILogger logger, Exception exception, string connectionId, string change, string tenantId);
}
