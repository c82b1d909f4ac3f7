using Microsoft.Extensions.Options;

namespace OpenClaw.Grains.ControlPlane.ConfigSync;

/// <summary>Refuses a config sync setup that could not work or would leak the service token (checked at startup).</summary>
internal sealed class ConfigSyncOptionsValidator : IValidateOptions<ConfigSyncOptions>
{
    public ValidateOptionsResult Validate(string? name, ConfigSyncOptions options)
    {
        var failures = new List<string>();
        void Require(bool condition, string message)
        {
            if (!condition) failures.Add(message);
        }

        Require(options.SyncIntervalMs is >= 100 and <= 86_400_000, "multiTenant:syncIntervalMs must be between 100 and 86400000.");
        Require(options.RequestTimeoutMs is >= 100 and <= 600_000, "multiTenant:configSync:requestTimeoutMs must be between 100 and 600000.");
        Require(options.MaxResponseBytes is >= 1024 and <= 1L << 30, "multiTenant:configSync:maxResponseBytes must be between 1024 and 1073741824.");
        Require(options.PageSize is >= 1 and <= BackendLimits.MaxUsersPerPage, $"multiTenant:configSync:pageSize must be between 1 and {BackendLimits.MaxUsersPerPage}.");
        Require(options.MaxPagesPerPass is >= 1 and <= 1_000_000, "multiTenant:configSync:maxPagesPerPass must be between 1 and 1000000.");
        Require(options.ApplyBatchSize is >= 1 and <= 10_000, "multiTenant:configSync:applyBatchSize must be between 1 and 10000.");
        Require(options.MaxBackoffMs >= options.SyncIntervalMs, "multiTenant:configSync:maxBackoffMs must be at least multiTenant:syncIntervalMs.");
        Require(options.MaxConcurrentPushes is >= 1 and <= 1024, "multiTenant:configSync:maxConcurrentPushes must be between 1 and 1024.");

        if (options.Enabled)
        {
            if (!Uri.TryCreate(options.CloudBackendUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")
                || !string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment) || !string.IsNullOrEmpty(url.UserInfo))
            {
                failures.Add("multiTenant:cloudBackendUrl must be an absolute http or https URL without query, fragment or credentials.");
            }
            else if (url.Scheme == "http" && !url.IsLoopback && !options.AllowInsecureHttp)
            {
                failures.Add("multiTenant:cloudBackendUrl uses plain http to a non-loopback host, which would send the service token in clear; use https or set multiTenant:configSync:allowInsecureHttp.");
            }

            Require(!string.IsNullOrWhiteSpace(options.ServiceToken),
                "multiTenant:cloudBackendUrl is set but no service token is (set OPENCLAW_SERVICE_TOKEN or multiTenant:serviceToken).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
