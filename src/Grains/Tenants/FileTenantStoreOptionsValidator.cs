using Microsoft.Extensions.Options;

namespace OpenClaw.Grains.Tenants;

/// <summary>Rejects unusable <see cref="FileTenantStoreOptions"/> at startup.</summary>
public sealed class FileTenantStoreOptionsValidator : IValidateOptions<FileTenantStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, FileTenantStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Directory))
        {
            failures.Add($"{nameof(FileTenantStoreOptions.Directory)} is required.");
        }
        else if (options.Directory.Contains('\0', StringComparison.Ordinal))
        {
            failures.Add($"{nameof(FileTenantStoreOptions.Directory)} contains a NUL character.");
        }

        if (string.IsNullOrWhiteSpace(options.FileName)
            || options.FileName.IndexOfAny(['/', '\\', '\0']) >= 0
            || options.FileName is "." or "..")
        {
            failures.Add($"{nameof(FileTenantStoreOptions.FileName)} must be a plain file name.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
