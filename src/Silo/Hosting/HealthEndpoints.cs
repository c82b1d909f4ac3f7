using System.Diagnostics;
using OpenClaw.Runtime;

namespace OpenClaw.Silo;

/// <summary>
/// Liveness and readiness for load balancers and Kubernetes probes (the edge owns <c>/</c>): 200
/// while the silo serves, 503 while it starts or drains. In a cluster it names the silo.
/// </summary>
internal static class HealthEndpoints
{
    public static void MapHealth(this WebApplication app)
    {
        var started = ProcessStartedAt();
        app.MapGet("/health", (ISiloRuntime runtime, ISiloLifecycle lifecycle, IServiceProvider services, TimeProvider time) =>
        {
            var local = services.GetService<LocalSilo>();
            var status = lifecycle.IsServing ? "ok" : lifecycle.IsStopping ? "stopping" : "starting";
            return Results.Json(
                new HealthReport(status, runtime.ActivationCount, UptimeMs(started, time),
                    local is { IsKnown: true } ? local.Address.ToString() : null, lifecycle.CurrentStage?.ToString()),
                SiloJsonContext.Default.HealthReport,
                statusCode: lifecycle.IsServing ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
    }

    /// <summary>When the operating system started this process (not when /health was first asked).</summary>
    internal static DateTimeOffset ProcessStartedAt() => ProcessStart.Value;

    // Read once: on Linux each read derives it from the boot time anew, which moves by microseconds.
    private static readonly Lazy<DateTimeOffset> ProcessStart = new(() =>
    {
        using var process = Process.GetCurrentProcess();
        return new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero);
    });

    private static long UptimeMs(DateTimeOffset started, TimeProvider time) =>
        Math.Max(0, (long)(time.GetUtcNow() - started).TotalMilliseconds);
}

internal sealed record HealthReport(string Status, int Activations, long UptimeMs, string? Silo, string? Stage);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web, DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
[System.Text.Json.Serialization.JsonSerializable(typeof(HealthReport))]
internal sealed partial class SiloJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
