using OpenClaw.EdgeGateway.Protocol;

namespace OpenClaw.EdgeGateway.Connections;

/// <summary>The result of a <c>connect</c>: the identity to serve, or the failure to report and close with.</summary>
internal sealed record HandshakeOutcome(string? RequestId, ConnectionIdentity? Identity, ConnectFailure? Failure)
{
    public static HandshakeOutcome Accepted(string requestId, ConnectionIdentity identity) => new(requestId, identity, null);

    public static HandshakeOutcome Refused(string? requestId, ConnectFailure failure) => new(requestId, null, failure);
}
