using OpenClaw.Grains.Interfaces;

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

    /// <summary>The verified device id (null when the socket signed none).</summary>
    public string? DeviceId { get; init; }

    public IReadOnlyList<string> Caps { get; init; } = [];
    public string? DisplayName { get; init; }
    public string? Platform { get; init; }
    public string? Version { get; init; }
    public string? DeviceFamily { get; init; }
    public string? InstanceId { get; init; }

    /// <summary>Node connections: <c>commands[]</c>, <c>permissions{}</c> and <c>pathEnv</c> as declared.</summary>
    public IReadOnlyList<string> Commands { get; init; } = [];
    public IReadOnlyDictionary<string, bool>? Permissions { get; init; }
    public string? PathEnv { get; init; }

    public bool IsNode => Role == GatewayRoles.Node;

    /// <summary>The socket sent <paramref name="cap"/> in <c>connect.params.caps</c>.</summary>
    public bool HasCap(string cap)
    {
        foreach (var own in Caps)
        {
            if (string.Equals(own, cap, StringComparison.Ordinal)) return true;
        }
        return false;
    }

    public override string ToString() => $"tenant {TenantId}, client {ClientId}/{ClientMode}, role {Role}";
}
