namespace OpenClaw.EdgeGateway.Connections;

/// <summary>
/// Who an authenticated socket is: its tenant, role and effective scopes, the client it says it
/// is, and the token it authenticated with (kept to re-check revocation; never logged, and not a
/// record so that no generated <c>ToString</c> can print it).
/// </summary>
internal sealed class ConnectionIdentity
{
    public required string TenantId { get; init; }
    public required string Token { get; init; }
    public required string Role { get; init; }
    public required IReadOnlyList<string> Scopes { get; init; }
    public required string ClientId { get; init; }
    public required string ClientMode { get; init; }
    public string? DeviceId { get; init; }

    public override string ToString() => $"tenant {TenantId}, client {ClientId}/{ClientMode}, role {Role}";
}
