using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OpenClaw.EdgeGateway.Connections;
using OpenClaw.Runtime.Client;

namespace OpenClaw.EdgeGateway.Hosting;

/// <summary>
/// <c>GET /health</c> of a standalone edge, for the load balancer: 200 while it is connected to at
/// least one serving silo and not stopping, else 503 (the balancer sends clients elsewhere).
/// </summary>
internal static class EdgeHealthEndpoint
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var client = endpoints.ServiceProvider.GetRequiredService<ClusterClient>();
        var registry = endpoints.ServiceProvider.GetRequiredService<ConnectionRegistry>();
        endpoints.MapGet("/health", () =>
        {
            var connected = client.ConnectedSilos;
            var ready = connected > 0 && !registry.IsStopping;
            var report = new EdgeHealthReport(
                ready ? "ok" : registry.IsStopping ? "stopping" : "no-silo",
                client.ClientId,
                connected,
                client.Membership.Serving.Count,
                registry.Count,
                (long)(DateTime.Now - Process.GetCurrentProcess().StartTime).TotalMilliseconds);
            return Results.Json(report, EdgeHealthJsonContext.Default.EdgeHealthReport, statusCode: ready ? 200 : 503);
        });
    }
}

internal sealed record EdgeHealthReport(string Status, string ClientId, int ConnectedSilos, int ServingSilos, int Connections, long UptimeMs);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[System.Text.Json.Serialization.JsonSerializable(typeof(EdgeHealthReport))]
internal sealed partial class EdgeHealthJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
