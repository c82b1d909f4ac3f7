using OpenClaw.EdgeGateway.Diagnostics;
using OpenClaw.Grains.Diagnostics;
using OpenClaw.Operations.Telemetry;
using OpenClaw.Runtime.Diagnostics;

namespace OpenClaw.Silo.Telemetry;

/// <summary>
/// The silo host's telemetry: the OpenClaw meters (runtime, grains, control plane, and the edge it
/// hosts) at <c>/metrics</c> and to OTLP, traces of the runtime, edge and grains, the log format,
/// and the <c>/health/live</c> and <c>/health/ready</c> probes.
/// </summary>
internal static class SiloTelemetry
{
    public const string ServiceName = "openclaw-silo";

    public static readonly string[] Meters = [RuntimeInstruments.MeterName, GrainsInstruments.MeterName, ControlPlaneInstruments.MeterName, EdgeInstruments.MeterName];

    public static readonly string[] ActivitySources = [EdgeInstruments.ActivitySourceName, RuntimeActivitySource.Name, GrainsInstruments.ActivitySourceName];

    public static IServiceCollection AddSiloTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddLogging(logging => logging.AddOpenClawLogFormat(configuration));
        services.AddOpenClawTelemetry(configuration, ServiceName, Meters, ActivitySources);
        services.AddHealthChecks()
            .AddCheck<SiloServingCheck>("silo", tags: [HealthProbes.ReadyTag])
            .AddCheck<StoreReachableCheck>("store", tags: [HealthProbes.ReadyTag]);
        return services;
    }

    public static WebApplication MapSiloTelemetry(this WebApplication app)
    {
        app.MapOpenClawMetrics();
        app.MapHealthProbes();
        return app;
    }
}
