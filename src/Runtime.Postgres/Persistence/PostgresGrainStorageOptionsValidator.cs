using Microsoft.Extensions.Options;

namespace OpenClaw.Runtime.Postgres;

/// <summary>Fails the host at startup (or the first resolve) when a PostgreSQL storage is misconfigured.</summary>
internal sealed class PostgresGrainStorageOptionsValidator : IValidateOptions<PostgresGrainStorageOptions>
{
    public ValidateOptionsResult Validate(string? name, PostgresGrainStorageOptions options) =>
        options.Validate() is { } error
            ? ValidateOptionsResult.Fail($"PostgreSQL grain storage '{name}': {error}")
            : ValidateOptionsResult.Success;
}
