using OpenClaw.Runtime;

namespace OpenClaw.Grains.Interfaces;

/// <summary>
/// One authenticated socket of the tenant, as the edge tells the grain when it opens
/// (<see cref="IUserGrain.ConnectionOpened"/>): who it is and what it can receive. The grain needs it
/// for what depends on the sockets connected now: the tenant's nodes (<c>role:"node"</c>), whether an
/// approver is connected, and who asked for tool events. Everything here comes from the client's own
/// <c>connect</c> params except <see cref="SubscriberId"/>, <see cref="RemoteIp"/> and <see cref="ConnectedAtMs"/>.
/// </summary>
[Immutable]
public sealed record GatewayConnectionInfo
{
    public required string ConnectionId { get; init; }

    /// <summary>The edge process's subscriber id (see <see cref="IUserGrain.Subscribe"/>): its connections go when its subscription does.</summary>
    public required string SubscriberId { get; init; }

    public string Role { get; init; } = GatewayRoles.Operator;
    public IReadOnlyList<string> Scopes { get; init; } = [];
    public IReadOnlyList<string> Caps { get; init; } = [];

    public string? ClientId { get; init; }
    public string? ClientMode { get; init; }
    public string? DisplayName { get; init; }
    public string? Platform { get; init; }
    public string? Version { get; init; }
    public string? DeviceFamily { get; init; }
    public string? InstanceId { get; init; }

    /// <summary>The verified device id, when the socket signed one; a node's stable id.</summary>
    public string? DeviceId { get; init; }

    public string? RemoteIp { get; init; }
    public long ConnectedAtMs { get; init; }

    /// <summary>Node connections: the commands it declares (<c>connect.params.commands</c>).</summary>
    public IReadOnlyList<string> Commands { get; init; } = [];

    /// <summary>Node connections: <c>connect.params.permissions</c>.</summary>
    public IReadOnlyDictionary<string, bool>? Permissions { get; init; }

    /// <summary>Node connections: <c>connect.params.pathEnv</c>.</summary>
    public string? PathEnv { get; init; }
}
