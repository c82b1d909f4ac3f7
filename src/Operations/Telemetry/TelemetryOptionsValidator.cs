using Microsoft.Extensions.Options;

namespace OpenClaw.Operations.Telemetry;

internal sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.PrometheusPath) || !options.PrometheusPath.StartsWith('/') || options.PrometheusPath.Contains('?'))
            failures.Add($"telemetry:prometheusPath must be a path starting with '/', not '{options.PrometheusPath}'.");
        if (options.PrometheusPath is "/" or "/health" or "/health/live" or "/health/ready")
            failures.Add($"telemetry:prometheusPath '{options.PrometheusPath}' is taken by another endpoint.");
        if (double.IsNaN(options.TracingSampleRatio) || options.TracingSampleRatio is < 0 or > 1)
            failures.Add($"telemetry:tracingSampleRatio must be between 0 and 1, not {options.TracingSampleRatio}.");
        if (!string.IsNullOrWhiteSpace(options.OtlpEndpoint)
            && (!Uri.TryCreate(options.OtlpEndpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
            failures.Add($"telemetry:otlpEndpoint must be an absolute http(s) URL, not '{options.OtlpEndpoint}'.");
        if (options.OtlpProtocol is not ("grpc" or "http/protobuf"))
            failures.Add($"telemetry:otlpProtocol must be 'grpc' or 'http/protobuf', not '{options.OtlpProtocol}'.");
        if (options.MetricsToken is { } token && token.Length is > 0 and < 16)
            failures.Add("telemetry:metricsToken must be at least 16 characters.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
