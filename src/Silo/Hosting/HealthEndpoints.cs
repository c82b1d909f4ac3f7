using OpenClaw.Runtime;

namespace OpenClaw.Silo;

/// <summary>Liveness for load balancers and Kubernetes probes (the edge owns <c>/</c>).</summary>
internal static class HealthEndpoints
{
    private static readonly DateTimeOffset Started = DateTimeOffset.UtcNow;

    public static void MapHealth(this WebApplication app)
    {
        app.MapGet("/health", (ISiloRuntime runtime) => Results.Json(new HealthReport(
            "ok", runtime.ActivationCount, (long)(DateTimeOffset.UtcNow - Started).TotalMilliseconds), SiloJsonContext.Default.HealthReport));
    }
}

internal sealed record HealthReport(string Status, int Activations, long UptimeMs);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[System.Text.Json.Serialization.JsonSerializable(typeof(HealthReport))]
internal sealed partial class SiloJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
