using Microsoft.Extensions.Options;

namespace OpenClaw.Operations.Admin;

/// <summary>
/// Bounds on the tenant archives the admin API reads (<c>admin:archive</c>). An import is refused,
/// before anything is written, when the upload, the number of entries, one entry or all entries
/// together are larger than these. The uncompressed total also bounds what crosses to the grain
/// in one call, so it stays well under the cluster's frame limit (32 MiB by default).
/// </summary>
public sealed class TenantArchiveOptions
{
    public const string SectionName = "admin:archive";

    public const long DefaultMaxArchiveBytes = 16L * 1024 * 1024;
    public const int DefaultMaxEntries = 10_000;
    public const long DefaultMaxEntryBytes = 4L * 1024 * 1024;
    public const long DefaultMaxUncompressedBytes = 16L * 1024 * 1024;

    /// <summary>The largest uncompressed total accepted as a setting (base64 of it must fit one cluster frame).</summary>
    public const long MaxAllowedUncompressedBytes = 20L * 1024 * 1024;

    /// <summary>The largest upload (the compressed archive).</summary>
    public long MaxArchiveBytes { get; set; } = DefaultMaxArchiveBytes;

    public int MaxEntries { get; set; } = DefaultMaxEntries;

    /// <summary>The largest single entry, uncompressed.</summary>
    public long MaxEntryBytes { get; set; } = DefaultMaxEntryBytes;

    /// <summary>All entries together, uncompressed (a zip bomb stops here).</summary>
    public long MaxUncompressedBytes { get; set; } = DefaultMaxUncompressedBytes;
}

internal sealed class TenantArchiveOptionsValidator : IValidateOptions<TenantArchiveOptions>
{
    public ValidateOptionsResult Validate(string? name, TenantArchiveOptions options)
    {
        var failures = new List<string>();
        if (options.MaxArchiveBytes < 1024) failures.Add("admin:archive:maxArchiveBytes must be at least 1024.");
        if (options.MaxEntries < 3) failures.Add("admin:archive:maxEntries must be at least 3 (manifest, tenant, tokens).");
        if (options.MaxEntryBytes < 1024) failures.Add("admin:archive:maxEntryBytes must be at least 1024.");
        if (options.MaxUncompressedBytes < options.MaxEntryBytes) failures.Add("admin:archive:maxUncompressedBytes must be at least maxEntryBytes.");
        if (options.MaxUncompressedBytes > TenantArchiveOptions.MaxAllowedUncompressedBytes)
            failures.Add($"admin:archive:maxUncompressedBytes may be at most {TenantArchiveOptions.MaxAllowedUncompressedBytes} (an import crosses to the tenant's grain in one call).");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
