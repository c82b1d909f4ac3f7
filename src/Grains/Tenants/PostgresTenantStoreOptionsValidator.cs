using System.Text;
using Microsoft.Extensions.Options;
using Npgsql;

namespace OpenClaw.Grains.Tenants;

/// <summary>Rejects unusable <see cref="PostgresTenantStoreOptions"/> at startup.</summary>
public sealed class PostgresTenantStoreOptionsValidator : IValidateOptions<PostgresTenantStoreOptions>
{
    /// <summary>PostgreSQL truncates longer identifiers.</summary>
    public const int MaxIdentifierBytes = 63;

    public ValidateOptionsResult Validate(string? name, PostgresTenantStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add($"{nameof(PostgresTenantStoreOptions.ConnectionString)} is required.");
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
                failures.Add($"{nameof(PostgresTenantStoreOptions.ConnectionString)} is not a valid connection string.");
            }
        }

        if (options.SchemaName is { } schema
            && (string.IsNullOrWhiteSpace(schema) || schema.Contains('\0', StringComparison.Ordinal) || Encoding.UTF8.GetByteCount(schema) > MaxIdentifierBytes))
        {
            failures.Add($"{nameof(PostgresTenantStoreOptions.SchemaName)} must be a non-empty identifier of at most {MaxIdentifierBytes} bytes.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
