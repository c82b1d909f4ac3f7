namespace OpenClaw.EdgeGateway.Protocol;

/// <summary>WebSocket close codes the gateway uses (PROTOCOL.md §6).</summary>
internal static class CloseCodes
{
    public const int Normal = 1000;

    /// <summary>The client's protocol range does not include v4.</summary>
    public const int ProtocolMismatch = 1002;

    /// <summary>A binary frame: the protocol only carries UTF-8 JSON text frames.</summary>
    public const int UnsupportedData = 1003;

    /// <summary>Auth, handshake and device failures, slow consumers.</summary>
    public const int PolicyViolation = 1008;

    /// <summary>A frame over the pre-auth or post-auth payload limit.</summary>
    public const int MessageTooBig = 1009;

    public const int InternalError = 1011;

    /// <summary>The edge is stopping (after a <c>shutdown</c> event).</summary>
    public const int ServiceRestart = 1012;

    /// <summary>Try again later: the gateway cannot authenticate right now, or the tenant has too many sockets.</summary>
    public const int TryAgainLater = 1013;

    /// <summary>The socket's credentials were revoked.</summary>
    public const int CredentialsRevoked = 4001;
}
