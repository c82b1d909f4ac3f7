using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace OpenClaw.Operations.Telemetry;

/// <summary>
/// OpenTelemetry for a host: the OpenClaw meters (and platform meters) to Prometheus and, when a
/// collector is configured, to OTLP; the OpenClaw trace sources (and HttpClient's) to OTLP.
/// Each host passes its own meter and source names.
/// </summary>
public static class TelemetryServiceCollectionExtensions
{
    public static IServiceCollection AddOpenClawTelemetry(this IServiceCollection services, IConfiguration configuration,
        string serviceName, IReadOnlyCollection<string> meters, IReadOnlyCollection<string> activitySources)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<TelemetryOptions>().Bind(configuration.GetSection(TelemetryOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TelemetryOptions>, TelemetryOptionsValidator>());

        var options = configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (!options.Enabled) return services;
        var otlp = options.ResolveOtlpEndpoint();

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName, serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId));
        telemetry.WithMetrics(metrics =>
        {
            metrics.AddMeter([.. meters]);
            if (options.PlatformMetrics)
            {
                metrics.AddRuntimeInstrumentation();
                metrics.AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http");
            }
            if (options.PrometheusEnabled) metrics.AddPrometheusExporter(o => o.ScrapeEndpointPath = options.PrometheusPath);
            if (otlp is not null) metrics.AddOtlpExporter(o => ConfigureOtlp(o, otlp, options, "v1/metrics"));
        });
        if (options.IsTracingOn())
        {
            telemetry.WithTracing(tracing =>
            {
                tracing.SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(options.TracingSampleRatio)));
                tracing.AddSource([.. activitySources]);
                // The provider's HTTP request, a child of the provider span. Query strings are dropped by default.
                tracing.AddHttpClientInstrumentation();
                if (otlp is not null) tracing.AddOtlpExporter(o => ConfigureOtlp(o, otlp, options, "v1/traces"));
            });
        }
        return services;
    }

    private static void ConfigureOtlp(OtlpExporterOptions exporter, Uri endpoint, TelemetryOptions options, string signalPath)
    {
        exporter.Protocol = options.OtlpProtocol == "http/protobuf" ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
        // Over HTTP each signal has its own path; the SDK adds it only to an endpoint it read from the
        // environment itself, so a bare collector address gets it here.
        exporter.Endpoint = exporter.Protocol == OtlpExportProtocol.HttpProtobuf && endpoint.AbsolutePath is "/" or ""
            ? new Uri(endpoint, signalPath)
            : endpoint;
    }
}
