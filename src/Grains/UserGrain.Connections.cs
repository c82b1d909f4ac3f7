using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains;

public sealed partial class UserGrain
{
    public Task ConnectionOpened(GatewayConnectionInfo connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentException.ThrowIfNullOrEmpty(connection.ConnectionId);
        _context.Connections.Open(connection);
        return Task.CompletedTask;
    }

    public Task ConnectionClosed(string connectionId)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionId);
        _context.Connections.Close(connectionId);
        return Task.CompletedTask;
    }
}
