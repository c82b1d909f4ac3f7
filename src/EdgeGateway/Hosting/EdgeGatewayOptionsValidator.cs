using Microsoft.Extensions.Options;
using OpenClaw.EdgeGateway.Hosting;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.EdgeGateway;

/// <summary>Rejects inconsistent edge settings at startup (the host fails fast instead of misbehaving later).</summary>
internal sealed class EdgeGatewayOptionsValidator : IValidateOptions<EdgeGatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, EdgeGatewayOptions options)
    {
        var failures = new List<string>();

        void Require(bool condition, string message)
        {
            if (!condition) failures.Add(message);
        }

        Require(!string.IsNullOrWhiteSpace(options.Path) && options.Path.StartsWith('/'), "edge:Path must start with '/'.");
        Require(options.TickIntervalMs is >= 10 and <= 3_600_000, "edge:TickIntervalMs must be between 10 and 3600000.");
        Require(options.HandshakeTimeoutMs is >= 10 and <= 600_000, "edge:HandshakeTimeoutMs must be between 10 and 600000.");
        Require(options.MaxPreAuthPayloadBytes >= 1024, "edge:MaxPreAuthPayloadBytes must be at least 1024.");
        Require(options.MaxPayloadBytes is >= 1024 and <= 1_073_741_824, "edge:MaxPayloadBytes must be between 1024 and 1073741824.");
        Require(options.MaxPreAuthPayloadBytes <= options.MaxPayloadBytes, "edge:MaxPreAuthPayloadBytes must not exceed edge:MaxPayloadBytes.");
        Require(options.MaxBufferedBytes >= 1024, "edge:MaxBufferedBytes must be at least 1024.");
        Require(options.RequestTimeoutMs > 0, "edge:RequestTimeoutMs must be positive.");
        Require(options.LongRequestTimeoutMs >= options.RequestTimeoutMs, "edge:LongRequestTimeoutMs must be at least edge:RequestTimeoutMs.");
        Require(!string.IsNullOrWhiteSpace(options.ServerVersion), "edge:ServerVersion must not be empty.");
        Require(options.TokenCacheTtlMs is >= 0 and <= EdgeGatewayOptions.MaxTokenCacheTtlMs,
            $"edge:TokenCacheTtlMs must be between 0 and {EdgeGatewayOptions.MaxTokenCacheTtlMs} (revocations must be honoured quickly).");
        Require(options.TokenNegativeCacheTtlMs >= 0 && options.TokenNegativeCacheTtlMs <= options.TokenCacheTtlMs,
            "edge:TokenNegativeCacheTtlMs must be between 0 and edge:TokenCacheTtlMs.");
        Require(options.TokenCacheMaxEntries >= 1, "edge:TokenCacheMaxEntries must be positive.");
        Require(options.AuthFailureBurst >= 1, "edge:AuthFailureBurst must be positive.");
        Require(options.AuthFailureIntervalMs > 0, "edge:AuthFailureIntervalMs must be positive.");
        Require(options.AuthGlobalFailureBurst >= options.AuthFailureBurst, "edge:AuthGlobalFailureBurst must be at least edge:AuthFailureBurst.");
        Require(options.AuthGlobalFailureIntervalMs > 0, "edge:AuthGlobalFailureIntervalMs must be positive.");
        Require(options.AuthMaxDelayMs >= 0 && options.AuthMaxDelayMs < options.HandshakeTimeoutMs,
            "edge:AuthMaxDelayMs must be between 0 and edge:HandshakeTimeoutMs (a held connect must be decided before the handshake times out).");
        for (var i = 0; i < options.TrustedProxies.Count; i++)
        {
            Require(ClientAddressResolver.TryParseNetwork(options.TrustedProxies[i], out _),
                $"edge:TrustedProxies:{i} ('{options.TrustedProxies[i]}') is not an IP address or a CIDR network such as 10.0.0.0/8.");
        }
        Require(options.MaxConnectionsPerTenant >= 1, "edge:MaxConnectionsPerTenant must be positive.");
        Require(options.MaxRequestsInFlightPerTenant >= 1, "edge:MaxRequestsInFlightPerTenant must be positive.");
        Require(options.MaxBytesInFlightPerTenant >= 2L * options.MaxPayloadBytes,
            "edge:MaxBytesInFlightPerTenant must be at least twice edge:MaxPayloadBytes (requests may use half of it, and one full frame must fit).");
        Require(options.MaxParamsBytes >= 1024, "edge:MaxParamsBytes must be at least 1024.");
        Require(options.MaxMessageParamsBytes >= 1024, "edge:MaxMessageParamsBytes must be at least 1024.");
        var maxRenewal = (int)(TenantEventSubscription.Expiration.TotalMilliseconds / 2);
        Require(options.SubscriptionRenewalIntervalMs == 0 || options.SubscriptionRenewalIntervalMs is >= 10 && options.SubscriptionRenewalIntervalMs <= maxRenewal,
            $"edge:SubscriptionRenewalIntervalMs must be 0 (default) or between 10 and {maxRenewal} (half the subscription expiration).");
        Require(options.KeepAliveIntervalMs >= 0, "edge:KeepAliveIntervalMs must not be negative.");
        Require(options.KeepAliveTimeoutMs >= 0, "edge:KeepAliveTimeoutMs must not be negative.");
        Require(options.MaxConcurrentRequestsPerConnection >= 1, "edge:MaxConcurrentRequestsPerConnection must be positive.");
        Require(options.CloseTimeoutMs > 0, "edge:CloseTimeoutMs must be positive.");
        Require(options.RestartExpectedMs >= 0, "edge:RestartExpectedMs must not be negative.");
        Require(options.ShutdownDrainMs >= 0, "edge:ShutdownDrainMs must not be negative.");
        Require(options.SiloFailoverWaitMs >= 0, "edge:SiloFailoverWaitMs must not be negative.");

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
