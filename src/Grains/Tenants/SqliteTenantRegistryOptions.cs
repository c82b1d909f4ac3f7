using Microsoft.Extensions.Options;

namespace OpenClaw.Grains.Tenants;

/// <summary>Where the embedded tenant registry keeps its database.</summary>
public sealed class SqliteTenantRegistryOptions
{
    public const string DefaultFileName = "registry.db";

    /// <summary>The registry's directory (<c>&lt;data dir&gt;/tenants</c>), created 0700 when missing.</summary>
    public string Directory { get; set; } = "";

    /// <summary>The database file's name inside <see cref="Directory"/>.</summary>
    public string FileName { get; set; } = DefaultFileName;

    /// <summary>How stale a token's last-used time may get before a lookup writes it again (default 5 minutes).</summary>
    public TimeSpan LastUsedResolution { get; set; } = TenantRegistryDefaults.LastUsedResolution;
}

/// <summary>Defaults both registries share.</summary>
public static class TenantRegistryDefaults
{
    /// <summary>A token's last use is written at most this often.</summary>
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(5);
}

internal sealed class SqliteTenantRegistryOptionsValidator : IValidateOptions<SqliteTenantRegistryOptions>
{
    public ValidateOptionsResult Validate(string? name, SqliteTenantRegistryOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Directory))
        {
            failures.Add("The tenant registry's Directory is required.");
        }

        if (string.IsNullOrWhiteSpace(options.FileName) || options.FileName.IndexOfAny(['/', '\\']) >= 0)
        {
            failures.Add("The tenant registry's FileName must be a plain file name.");
        }

        if (options.LastUsedResolution <= TimeSpan.Zero)
        {
            failures.Add("The tenant registry's LastUsedResolution must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
