using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.Gateway;

/// <summary>
/// The tenant's open sockets as the edges reported them (<see cref="IUserGrain.ConnectionOpened"/>).
/// Lost with the activation: edges report their sockets again when they subscribe to the next one.
/// Bounded: an edge that died never reports its sockets closed, so the oldest entry goes first
/// beyond <see cref="MaxConnections"/>, and <see cref="RemoveSubscriber"/> drops an edge's sockets at once.
/// </summary>
internal sealed class TenantConnections
{
    internal const int MaxConnections = 4096;

    private readonly Dictionary<string, GatewayConnectionInfo> _connections = new(StringComparer.Ordinal);

    /// <summary>Raised after a connection was added (or replaced) or removed.</summary>
    public event Action<GatewayConnectionInfo, bool>? Changed;

    public int Count => _connections.Count;

    public IEnumerable<GatewayConnectionInfo> All => _connections.Values;

    public GatewayConnectionInfo? Find(string connectionId) => _connections.GetValueOrDefault(connectionId);

    public void Open(GatewayConnectionInfo connection)
    {
        _connections[connection.ConnectionId] = connection;
        if (_connections.Count > MaxConnections)
        {
            var oldest = _connections.Values.MinBy(entry => entry.ConnectedAtMs)!;
            Close(oldest.ConnectionId);
        }

        Changed?.Invoke(connection, true);
    }

    public void Close(string connectionId)
    {
        if (_connections.Remove(connectionId, out var connection))
        {
            Changed?.Invoke(connection, false);
        }
    }

    /// <summary>Drops every socket of an edge whose subscription ended.</summary>
    public void RemoveSubscriber(string subscriberId)
    {
        foreach (var connection in _connections.Values.Where(entry => entry.SubscriberId == subscriberId).ToList())
        {
            Close(connection.ConnectionId);
        }
    }

    /// <summary>True when a connected socket would receive an event limited to <paramref name="scope"/> and one of <paramref name="anyCap"/>.</summary>
    public bool AnyReceiver(string? scope, IReadOnlyList<string>? anyCap) =>
        _connections.Values.Any(connection =>
            connection.Role == GatewayRoles.Operator
            && GatewayMethodCatalog.HasScope(connection.Scopes, scope)
            && (anyCap is null || connection.Caps.Any(anyCap.Contains)));
}
