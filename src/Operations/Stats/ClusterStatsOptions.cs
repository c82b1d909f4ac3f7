using Microsoft.Extensions.Options;

namespace OpenClaw.Operations.Stats;

/// <summary>How operator requests gather figures from every silo (<c>operations:stats</c>).</summary>
public sealed class ClusterStatsOptions
{
    public const string SectionName = "operations:stats";

    public static readonly TimeSpan DefaultSiloTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How long one silo may take to answer before it is listed as unreachable.</summary>
    public TimeSpan SiloTimeout { get; set; } = DefaultSiloTimeout;

    /// <summary>How long a cleanup (deactivating idle tenants) may take on one silo.</summary>
    public TimeSpan CleanupTimeout { get; set; } = TimeSpan.FromSeconds(60);
}

internal sealed class ClusterStatsOptionsValidator : IValidateOptions<ClusterStatsOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterStatsOptions options)
    {
        var failures = new List<string>();
        if (options.SiloTimeout <= TimeSpan.Zero || options.SiloTimeout > TimeSpan.FromMinutes(5))
            failures.Add($"{ClusterStatsOptions.SectionName}:siloTimeout must be between 0 and 5 minutes (was {options.SiloTimeout}).");
        if (options.CleanupTimeout <= TimeSpan.Zero || options.CleanupTimeout > TimeSpan.FromMinutes(30))
            failures.Add($"{ClusterStatsOptions.SectionName}:cleanupTimeout must be between 0 and 30 minutes (was {options.CleanupTimeout}).");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
