using System.Diagnostics;
using OpenClaw.Runtime;

namespace OpenClaw.Silo;

/// <summary>Liveness for load balancers and Kubernetes probes (the edge owns <c>/</c>).</summary>
internal static class HealthEndpoints
{
    public static void MapHealth(this WebApplication app)
    {
        var started = ProcessStartedAt();
        app.MapGet("/health", (ISiloRuntime runtime, TimeProvider time) => Results.Json(new HealthReport(
            "ok", runtime.ActivationCount, UptimeMs(started, time)), SiloJsonContext.Default.HealthReport));
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

internal sealed record HealthReport(string Status, int Activations, long UptimeMs);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[System.Text.Json.Serialization.JsonSerializable(typeof(HealthReport))]
internal sealed partial class SiloJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
