using OpenClaw.Runtime;

namespace OpenClaw.Silo;

/// <summary>
/// Liveness and readiness for load balancers and Kubernetes probes (the edge owns <c>/</c>): 200
/// while the silo serves, 503 while it starts or drains. In a cluster it names the silo.
/// </summary>
internal static class HealthEndpoints
{
    private static readonly DateTimeOffset Started = DateTimeOffset.UtcNow;

    public static void MapHealth(this WebApplication app)
    {
        app.MapGet("/health", (ISiloRuntime runtime, ISiloLifecycle lifecycle, IServiceProvider services) =>
        {
            var local = services.GetService<LocalSilo>();
            var status = lifecycle.IsServing ? "ok" : lifecycle.IsStopping ? "stopping" : "starting";
            return Results.Json(
                new HealthReport(status, runtime.ActivationCount, (long)(DateTimeOffset.UtcNow - Started).TotalMilliseconds,
                    local is { IsKnown: true } ? local.Address.ToString() : null, lifecycle.CurrentStage?.ToString()),
                SiloJsonContext.Default.HealthReport,
                statusCode: lifecycle.IsServing ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
    }
}

internal sealed record HealthReport(string Status, int Activations, long UptimeMs, string? Silo, string? Stage);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web, DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
[System.Text.Json.Serialization.JsonSerializable(typeof(HealthReport))]
internal sealed partial class SiloJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
