using Microsoft.Extensions.Logging;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.ControlPlane.Monitor;

/// <summary>Log messages of the cluster monitor (event ids 3400–3499).</summary>
internal static partial class MonitorLog
{
    [LoggerMessage(EventId = 3400, Level = LogLevel.Information, Message = "Cluster monitor is on: evaluating every {IntervalMs} ms, {Webhooks} webhooks")]
    public static partial void Started(ILogger logger, long intervalMs, int webhooks);

    [LoggerMessage(EventId = 3401, Level = LogLevel.Warning, Message = "Cluster monitor: reading {Source} failed; its rules keep their state until it works again (repeats are logged at Debug)")]
    public static partial void ReadFailed(ILogger logger, string source, Exception exception);

    [LoggerMessage(EventId = 3408, Level = LogLevel.Debug, Message = "Cluster monitor: reading {Source} still fails: {Error}")]
    public static partial void ReadStillFailing(ILogger logger, string source, string error);

    [LoggerMessage(EventId = 3409, Level = LogLevel.Information, Message = "Cluster monitor: reading {Source} works again")]
    public static partial void ReadRecovered(ILogger logger, string source);

    [LoggerMessage(EventId = 3402, Level = LogLevel.Information, Message = "Cluster monitor: no cluster statistics reader is registered; only the config sync rule is evaluated")]
    public static partial void NoStatsReader(ILogger logger);

    [LoggerMessage(EventId = 3403, Level = LogLevel.Error, Message = "Cluster monitor: saving the alerts failed; retried at the next evaluation")]
    public static partial void StateWriteFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3404, Level = LogLevel.Error, Message = "Cluster monitor: another activation wrote the alerts (ETag conflict); deactivating")]
    public static partial void StateConflict(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3405, Level = LogLevel.Error, Message = "Cluster monitor: alert handler {Handler} failed")]
    public static partial void HandlerFailed(ILogger logger, string handler, Exception exception);

    [LoggerMessage(EventId = 3406, Level = LogLevel.Warning, Message = "Cluster monitor keeper: EnsureRunning failed; trying again in {IntervalMs} ms")]
    public static partial void EnsureRunningFailed(ILogger logger, long intervalMs, Exception exception);

    [LoggerMessage(EventId = 3407, Level = LogLevel.Error, Message = "Cluster monitor: an evaluation failed")]
    public static partial void EvaluationFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3410, Message = "ALERT {Severity} {Rule} on {Subject} ({AlertId}): {AlertMessage}")]
    public static partial void AlertRaised(ILogger logger, LogLevel level, AlertSeverity severity, string rule, string subject, string alertId, string alertMessage);

    [LoggerMessage(EventId = 3411, Level = LogLevel.Information, Message = "RESOLVED {Rule} on {Subject} ({AlertId}): {CurrentMessage}")]
    public static partial void AlertResolved(ILogger logger, string rule, string subject, string alertId, string currentMessage);

    [LoggerMessage(EventId = 3420, Level = LogLevel.Warning, Message = "Alert webhook {Endpoint}: queue full ({Capacity}); {AlertId} ({Event}) dropped, {Dropped} dropped so far")]
    public static partial void WebhookDropped(ILogger logger, string endpoint, int capacity, string alertId, string @event, long dropped);

    [LoggerMessage(EventId = 3421, Level = LogLevel.Warning, Message = "Alert webhook {Endpoint}: attempt {Attempt} of {MaxAttempts} for {DeliveryId} failed ({Reason}); retrying in {DelayMs} ms")]
    public static partial void WebhookRetrying(ILogger logger, string endpoint, int attempt, int maxAttempts, string deliveryId, string reason, long delayMs);

    [LoggerMessage(EventId = 3422, Level = LogLevel.Error, Message = "Alert webhook {Endpoint}: giving up on {DeliveryId} ({AlertId}) after {Attempts} attempts ({Reason})")]
    public static partial void WebhookGaveUp(ILogger logger, string endpoint, string deliveryId, string alertId, int attempts, string reason);

    [LoggerMessage(EventId = 3423, Level = LogLevel.Debug, Message = "Alert webhook {Endpoint}: delivered {DeliveryId} (attempt {Attempt}, HTTP {StatusCode})")]
    public static partial void WebhookDelivered(ILogger logger, string endpoint, string deliveryId, int attempt, int statusCode);

    [LoggerMessage(EventId = 3424, Level = LogLevel.Warning, Message = "Alert webhook {Endpoint}: stopping with {Pending} deliveries not sent")]
    public static partial void WebhookStoppedWithPending(ILogger logger, string endpoint, int pending);
}
