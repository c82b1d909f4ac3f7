using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenClaw.EdgeGateway.Hosting;

namespace OpenClaw.EdgeGateway;

/// <summary>Maps the OpenClaw gateway WebSocket endpoint.</summary>
public static class EdgeGatewayEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the gateway WebSocket at <see cref="EdgeGatewayOptions.Path"/> (default <c>/</c>) for
    /// GET (HTTP/1.1 upgrade) and CONNECT (HTTP/2 WebSockets). The WebSocket middleware runs
    /// inside the endpoint, so the host does not need <c>UseWebSockets</c>. Other endpoints must
    /// not claim the same path.
    /// </summary>
    public static IEndpointConventionBuilder MapEdgeGateway(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        var options = services.GetRequiredService<IOptions<EdgeGatewayOptions>>().Value;
        var endpoint = services.GetRequiredService<EdgeGatewayEndpoint>();

        var pipeline = endpoints.CreateApplicationBuilder();
        pipeline.UseWebSockets(new WebSocketOptions
        {
            KeepAliveInterval = TimeSpan.FromMilliseconds(options.KeepAliveIntervalMs),
        });
        pipeline.Run(endpoint.HandleAsync);

        return endpoints
            .MapMethods(options.Path, [HttpMethods.Get, HttpMethods.Connect], pipeline.Build())
            .WithDisplayName("OpenClaw gateway WebSocket");
    }
}
