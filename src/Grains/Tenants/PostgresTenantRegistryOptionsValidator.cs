using System.Text;
using Microsoft.Extensions.Options;
using Npgsql;

namespace OpenClaw.Grains.Tenants;

/// <summary>Rejects unusable <see cref="PostgresTenantRegistryOptions"/> at startup.</summary>
public sealed class PostgresTenantRegistryOptionsValidator : IValidateOptions<PostgresTenantRegistryOptions>
{
    /// <summary>PostgreSQL truncates longer identifiers.</summary>
    public const int MaxIdentifierBytes = 63;

    public ValidateOptionsResult Validate(string? name, PostgresTenantRegistryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add($"{nameof(PostgresTenantRegistryOptions.ConnectionString)} is required.");
        }
        else
        {
            try
            {
                _ = new NpgsqlConnectionStringBuilder(options.ConnectionString);
            }
            catch (ArgumentException)
            {
                // The message could quote the password; keep it out.
                failures.Add($"{nameof(PostgresTenantRegistryOptions.ConnectionString)} is not a valid connection string.");
            }
        }

        if (options.SchemaName is { } schema
            && (string.IsNullOrWhiteSpace(schema) || schema.Contains('\0', StringComparison.Ordinal) || Encoding.UTF8.GetByteCount(schema) > MaxIdentifierBytes))
        {
            failures.Add($"{nameof(PostgresTenantRegistryOptions.SchemaName)} must be a non-empty identifier of at most {MaxIdentifierBytes} bytes.");
        }

        if (options.LastUsedResolution <= TimeSpan.Zero)
        {
            failures.Add($"{nameof(PostgresTenantRegistryOptions.LastUsedResolution)} must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
