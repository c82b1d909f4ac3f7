using OpenClaw.Grains.Interfaces;

namespace OpenClaw.EdgeGateway.Protocol;

/// <summary>
/// A refused handshake: the error response to send for the connect request (when it had an id)
/// and the close code and reason that follow it.
/// </summary>
internal sealed record ConnectFailure(GatewayError? Error, int CloseCode, string CloseReason, string DetailCode)
{
    /// <summary>Exact text the official gateway sends for a wrong or missing shared token (observed).</summary>
    public const string TokenMismatchMessage =
        "unauthorized: gateway token mismatch (use this gateway's gateway.auth.token or pair the device)";

    public const string RateLimitedMessage = "unauthorized: too many failed authentication attempts (retry later)";

    public static ConnectFailure NotConnect() => new(
        GatewayError.InvalidRequest(CloseReasons.FirstRequestMustBeConnect),
        CloseCodes.PolicyViolation, CloseReasons.FirstRequestMustBeConnect, "INVALID_HANDSHAKE");

    /// <summary>The first frame was not even a request (no id to answer): only the close is sent.</summary>
    public static ConnectFailure NotARequest() => new(
        null, CloseCodes.PolicyViolation, CloseReasons.FirstRequestMustBeConnect, "INVALID_HANDSHAKE");

    /// <summary>No successful connect within the handshake timeout: close only (nothing to answer).</summary>
    public static ConnectFailure HandshakeTimeout() => new(
        null, CloseCodes.PolicyViolation, CloseReasons.HandshakeTimeout, "HANDSHAKE_TIMEOUT");

    public static ConnectFailure InvalidParams(string problem)
    {
        var message = $"invalid connect params: {problem}";
        return new(GatewayError.InvalidRequest(message), CloseCodes.PolicyViolation, CloseReasons.Truncate(message), "INVALID_CONNECT_PARAMS");
    }

    public static ConnectFailure ProtocolMismatch() => new(
        GatewayError.InvalidRequest(
            CloseReasons.ProtocolMismatch,
            ProtocolJson.ToText(w =>
            {
                w.WriteStartObject();
                w.WriteString("code", ConnectErrorCodes.ProtocolMismatch);
                w.WriteNumber("expectedProtocol", ProtocolConstants.ProtocolVersion);
                w.WriteEndObject();
            })),
        CloseCodes.ProtocolMismatch, CloseReasons.ProtocolMismatch, ConnectErrorCodes.ProtocolMismatch);

    public static ConnectFailure TokenMismatch() => new(
        GatewayError.InvalidRequest(
            TokenMismatchMessage,
            ProtocolJson.ToText(w =>
            {
                w.WriteStartObject();
                w.WriteString("code", ConnectErrorCodes.AuthTokenMismatch);
                w.WriteString("authReason", "token_mismatch");
                w.WriteBoolean("canRetryWithDeviceToken", false);
                w.WriteString("recommendedNextStep", ConnectErrorCodes.NextStepUpdateCredentials);
                w.WriteEndObject();
            })),
        CloseCodes.PolicyViolation, CloseReasons.Truncate(TokenMismatchMessage), ConnectErrorCodes.AuthTokenMismatch);

    public static ConnectFailure RateLimited(long retryAfterMs)
    {
        var retryAfter = (int)Math.Clamp(retryAfterMs, 0, int.MaxValue);
        var error = GatewayError.InvalidRequest(
            RateLimitedMessage,
            ProtocolJson.ToText(w =>
            {
                w.WriteStartObject();
                w.WriteString("code", ConnectErrorCodes.AuthRateLimited);
                w.WriteString("authReason", "rate_limited");
                w.WriteNumber("retryAfterMs", retryAfter);
                w.WriteBoolean("canRetryWithDeviceToken", false);
                w.WriteString("recommendedNextStep", ConnectErrorCodes.NextStepWaitThenRetry);
                w.WriteEndObject();
            })) with { Retryable = true, RetryAfterMs = retryAfter };
        return new(error, CloseCodes.PolicyViolation, CloseReasons.Truncate(RateLimitedMessage), ConnectErrorCodes.AuthRateLimited);
    }

    /// <summary>A device proof failure: INVALID_REQUEST with <c>details{code, reason}</c>, close 1008.</summary>
    public static ConnectFailure Device(string code, string reason, string message) => new(
        GatewayError.InvalidRequest(
            message,
            ProtocolJson.ToText(w =>
            {
                w.WriteStartObject();
                w.WriteString("code", code);
                w.WriteString("reason", reason);
                w.WriteEndObject();
            })),
        CloseCodes.PolicyViolation, CloseReasons.Truncate(message), code);

    /// <summary>The token store could not be reached: UNAVAILABLE (retryable), close 1013 so clients retry.</summary>
    public static ConnectFailure AuthUnavailable(int retryAfterMs) => new(
        GatewayError.Unavailable(
            "gateway auth is temporarily unavailable; retry shortly",
            ProtocolJson.ToText(w =>
            {
                w.WriteStartObject();
                w.WriteString("code", ConnectErrorCodes.AuthUnavailable);
                w.WriteString("reason", "auth-backend-unavailable");
                w.WriteEndObject();
            })) with { Retryable = true, RetryAfterMs = retryAfterMs },
        CloseCodes.TryAgainLater, CloseReasons.AuthUnavailable, ConnectErrorCodes.AuthUnavailable);

    /// <summary>The tenant already has its maximum of sockets on this edge: UNAVAILABLE (retryable), close 1013.</summary>
    public static ConnectFailure TooManyConnections(int max, int retryAfterMs) => new(
        GatewayError.Unavailable(
            $"too many connections for this tenant (max {max}); close one or retry later",
            ProtocolJson.ToText(w =>
            {
                w.WriteStartObject();
                w.WriteString("code", ConnectErrorCodes.TenantConnectionLimit);
                w.WriteNumber("maxConnections", max);
                w.WriteEndObject();
            })) with { Retryable = true, RetryAfterMs = retryAfterMs },
        CloseCodes.TryAgainLater, CloseReasons.TooManyConnections, ConnectErrorCodes.TenantConnectionLimit);
}
