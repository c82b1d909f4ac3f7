using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace OpenClaw.Operations.Telemetry;

/// <summary>Maps the Prometheus scrape endpoint (when enabled), behind <see cref="TelemetryOptions.MetricsToken"/> when one is set.</summary>
public static class PrometheusEndpoint
{
    public static IEndpointRouteBuilder MapOpenClawMetrics(this IEndpointRouteBuilder endpoints)
    {
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<TelemetryOptions>>().Value;
        if (!options.Enabled || !options.PrometheusEnabled) return endpoints;
        var token = string.IsNullOrEmpty(options.MetricsToken) ? null : Encoding.UTF8.GetBytes("Bearer " + options.MetricsToken);
        endpoints.MapPrometheusScrapingEndpoint(options.PrometheusPath, meterProvider: null, configureBranchedPipeline: branch =>
        {
            if (token is null) return;
            branch.Use(async (context, next) =>
            {
                var given = Encoding.UTF8.GetBytes(context.Request.Headers.Authorization.ToString());
                if (!CryptographicOperations.FixedTimeEquals(given, token))
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    context.Response.Headers.WWWAuthenticate = "Bearer";
                    return;
                }
                await next(context);
            });
        }, optionsName: null);
        return endpoints;
    }
}
