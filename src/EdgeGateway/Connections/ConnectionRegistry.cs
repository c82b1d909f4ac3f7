using System.Collections.Concurrent;

namespace OpenClaw.EdgeGateway.Connections;

/// <summary>The edge's open sockets, so that a stopping host can tell each of them to go.</summary>
internal sealed class ConnectionRegistry
{
    private readonly ConcurrentDictionary<string, EdgeConnection> _connections = new(StringComparer.Ordinal);
    private volatile bool _stopping;

    public bool IsStopping => _stopping;

    public int Count => _connections.Count;

    public void Add(EdgeConnection connection)
    {
        _connections[connection.ConnectionId] = connection;
        // A socket accepted while the host began stopping is told to go as well.
        if (_stopping) connection.BeginShutdown();
    }

    public void Remove(EdgeConnection connection) =>
        _connections.TryRemove(new KeyValuePair<string, EdgeConnection>(connection.ConnectionId, connection));

    /// <summary>Sends every socket the <c>shutdown</c> event and closes it 1012; returns how many there were.</summary>
    public int ShutdownAll()
    {
        _stopping = true;
        var count = 0;
        foreach (var connection in _connections.Values)
        {
            connection.BeginShutdown();
            count++;
        }
        return count;
    }

    /// <summary>Waits until every socket has ended (or <paramref name="cancellationToken"/> fires).</summary>
    public async Task WaitUntilEmptyAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        while (!_connections.IsEmpty && !cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
