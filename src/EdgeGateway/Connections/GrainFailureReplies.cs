using OpenClaw.Grains.Interfaces;
using OpenClaw.Runtime;

namespace OpenClaw.EdgeGateway.Connections;

/// <summary>
/// The client's answer when a grain call fails. Messages name the method and what the client can
/// do, never exception types, stored-data locations or other internals (those go to the log).
/// </summary>
internal static class GrainFailureReplies
{
    /// <summary>Sent as <c>retryAfterMs</c> for failures that a retry may fix.</summary>
    public const int RetryAfterMs = 1000;

    public const string DamagedStateMessage =
        "this tenant's stored data is damaged and cannot be loaded; the operator must restore it from a backup";

    /// <summary>The edge stopped waiting after <paramref name="timeoutMs"/>: retryable.</summary>
    public static GatewayReply TimedOut(string method, int timeoutMs) =>
        GatewayReply.Failure(GatewayError.Unavailable($"request timed out: {method} did not complete within {timeoutMs} ms") with
        {
            Retryable = true,
        });

    /// <summary>The grain answered nothing at all.</summary>
    public static GatewayReply NoReply(string method) =>
        GatewayReply.Failure(GatewayError.Unavailable($"tenant gateway unavailable: {method} returned no reply; retry shortly") with
        {
            Retryable = true,
            RetryAfterMs = RetryAfterMs,
        });

    /// <summary>The reply for a grain call that threw <paramref name="exception"/>.</summary>
    public static GatewayReply For(Exception exception, string method)
    {
        if (exception is TimeoutException)
        {
            return GatewayReply.Failure(GatewayError.Unavailable($"request timed out: {method} did not complete in time") with
            {
                Retryable = true,
            });
        }
        if (exception is ActivationOverloadedException)
        {
            return GatewayReply.Failure(GatewayError.Unavailable($"too many requests are waiting for this tenant; {method} was not run, retry shortly") with
            {
                Retryable = true,
                RetryAfterMs = RetryAfterMs,
            });
        }
        if (IsDamagedState(exception))
        {
            return GatewayReply.Failure(GatewayError.Unavailable(DamagedStateMessage, """{"code":"TENANT_STATE_DAMAGED"}""") with
            {
                Retryable = false,
            });
        }
        return GatewayReply.Failure(GatewayError.Unavailable($"tenant gateway unavailable: {method} failed; retry shortly") with
        {
            Retryable = true,
            RetryAfterMs = RetryAfterMs,
        });
    }

    /// <summary>The tenant's grain could not activate because its stored state is corrupt.</summary>
    public static bool IsDamagedState(Exception exception) =>
        exception is GrainActivationException { InnerException: GrainStorageCorruptedException }
        || exception is AggregateException { InnerExceptions: [var inner] } && IsDamagedState(inner);
}
