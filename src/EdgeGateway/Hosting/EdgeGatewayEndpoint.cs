using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using OpenClaw.EdgeGateway.Connections;

namespace OpenClaw.EdgeGateway.Hosting;

/// <summary>
/// The request handler behind the gateway path: accepts the WebSocket (no permessage-deflate,
/// WebSocket ping keepalive) and runs the connection until it closes. Plain HTTP requests get
/// 426 Upgrade Required; while the host is stopping new sockets get 503.
/// </summary>
internal sealed class EdgeGatewayEndpoint(EdgeConnectionServices services, ClientAddressResolver addresses)
{
    public async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            context.Response.Headers.Upgrade = "websocket";
            await context.Response.WriteAsync("OpenClaw gateway: connect with a WebSocket client (protocol v4).\n", context.RequestAborted).ConfigureAwait(false);
            return;
        }
        if (services.Registry.IsStopping)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        var options = services.Options;
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            DangerousEnableCompression = false,
            KeepAliveInterval = TimeSpan.FromMilliseconds(options.KeepAliveIntervalMs),
            KeepAliveTimeout = options.KeepAliveTimeoutMs > 0 ? TimeSpan.FromMilliseconds(options.KeepAliveTimeoutMs) : Timeout.InfiniteTimeSpan,
        }).ConfigureAwait(false);

        var connection = new EdgeConnection(socket, Guid.NewGuid().ToString(), addresses.Resolve(context), services);
        services.Registry.Add(connection);
        try
        {
            await connection.RunAsync().ConfigureAwait(false);
        }
        finally
        {
            services.Registry.Remove(connection);
        }
    }
}
