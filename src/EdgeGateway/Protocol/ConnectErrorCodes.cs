namespace OpenClaw.EdgeGateway.Protocol;

/// <summary>
/// <c>error.details.code</c> values of connect failures
/// (<c>packages/gateway-protocol/src/connect-error-details.ts</c>) and the related reasons.
/// </summary>
internal static class ConnectErrorCodes
{
    public const string AuthTokenMismatch = "AUTH_TOKEN_MISMATCH";
    public const string AuthRateLimited = "AUTH_RATE_LIMITED";
    public const string ProtocolMismatch = "PROTOCOL_MISMATCH";
    public const string DeviceIdMismatch = "DEVICE_AUTH_DEVICE_ID_MISMATCH";
    public const string DeviceSignatureExpired = "DEVICE_AUTH_SIGNATURE_EXPIRED";
    public const string DeviceNonceRequired = "DEVICE_AUTH_NONCE_REQUIRED";
    public const string DeviceNonceMismatch = "DEVICE_AUTH_NONCE_MISMATCH";
    public const string DeviceSignatureInvalid = "DEVICE_AUTH_SIGNATURE_INVALID";
    public const string DevicePublicKeyInvalid = "DEVICE_AUTH_PUBLIC_KEY_INVALID";

    /// <summary>Not a protocol code: our own detail for "the token store could not be reached".</summary>
    public const string AuthUnavailable = "AUTH_UNAVAILABLE";

    /// <summary>Not a protocol code: the tenant has its maximum of sockets on this edge.</summary>
    public const string TenantConnectionLimit = "TENANT_CONNECTION_LIMIT";

    public const string NextStepUpdateCredentials = "update_auth_credentials";
    public const string NextStepWaitThenRetry = "wait_then_retry";
}
