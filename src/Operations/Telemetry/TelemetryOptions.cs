namespace OpenClaw.Operations.Telemetry;

/// <summary>
/// The <c>telemetry</c> section: Prometheus exposition, OTLP export and tracing, for the silo host
/// and the standalone edge alike (each process exposes its own figures).
/// </summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "telemetry";
    public const string DefaultPrometheusPath = "/metrics";
    public const double DefaultTracingSampleRatio = 0.1;

    /// <summary>The environment variable the OpenTelemetry SDKs read for the collector's address.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Switches every meter listener and trace exporter off (the instruments then cost next to nothing).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Serve the Prometheus text format at <see cref="PrometheusPath"/>.</summary>
    public bool PrometheusEnabled { get; set; } = true;

    public string PrometheusPath { get; set; } = DefaultPrometheusPath;

    /// <summary>
    /// When set, <see cref="PrometheusPath"/> answers only requests with <c>Authorization: Bearer &lt;token&gt;</c>
    /// (Prometheus' <c>authorization</c> scrape setting). Unset, it is open: set it whenever the port is
    /// reachable from outside the cluster network (the figures carry no tenant data, but they are
    /// operational detail).
    /// </summary>
    public string? MetricsToken { get; set; }

    /// <summary>OTLP collector (gRPC or HTTP/protobuf per <see cref="OtlpProtocol"/>); falls back to <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>. Unset: no OTLP export.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary><c>grpc</c> (default) or <c>http/protobuf</c>.</summary>
    public string OtlpProtocol { get; set; } = "grpc";

    /// <summary>
    /// Record spans. Null (default): on exactly when an OTLP endpoint is configured (spans nobody
    /// exports would only cost). True/false force it.
    /// </summary>
    public bool? TracingEnabled { get; set; }

    /// <summary>
    /// Share of new traces recorded (0..1, default 0.1); a request that arrives inside a sampled trace
    /// follows its parent. Tracing every request costs ~6 % of edge throughput (bench/RESULTS.md).
    /// </summary>
    public double TracingSampleRatio { get; set; } = DefaultTracingSampleRatio;

    /// <summary>Also export .NET runtime (GC, thread pool, JIT), process, Kestrel/ASP.NET Core and HttpClient metrics.</summary>
    public bool PlatformMetrics { get; set; } = true;

    /// <summary>The OTLP endpoint in effect: the option, else the standard environment variable.</summary>
    public Uri? ResolveOtlpEndpoint()
    {
        var text = string.IsNullOrWhiteSpace(OtlpEndpoint) ? Environment.GetEnvironmentVariable(OtlpEndpointVariable) : OtlpEndpoint;
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) ? uri : null;
    }

    public bool IsTracingOn() => Enabled && (TracingEnabled ?? ResolveOtlpEndpoint() is not null);
}
