using Npgsql;

namespace OpenClaw.Runtime.Postgres;

/// <summary>Options of <see cref="PostgresGrainStorage"/>.</summary>
public sealed class PostgresGrainStorageOptions
{
    /// <summary>An Npgsql connection string, e.g. <c>Host=db;Database=openclaw;Username=openclaw;Password=…</c>.</summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>
    /// The schema that holds the grain state table (created when missing). Null uses the
    /// connection's <c>search_path</c> (normally <c>public</c>).
    /// </summary>
    public string? SchemaName { get; set; }

    /// <summary>Returns why these options cannot be used, or null when they are valid.</summary>
    public string? Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            return $"{nameof(PostgresGrainStorageOptions)}.{nameof(ConnectionString)} is empty: set it to an Npgsql connection string (Host=…;Database=…;Username=…).";
        }

        try
        {
            _ = new NpgsqlConnectionStringBuilder(ConnectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            return $"{nameof(PostgresGrainStorageOptions)}.{nameof(ConnectionString)} is not a valid Npgsql connection string: {e.Message}";
        }

        if (SchemaName is not null && PostgresIdentifier.Validate(SchemaName) is { } schemaError)
        {
            return $"{nameof(PostgresGrainStorageOptions)}.{nameof(SchemaName)} '{SchemaName}' cannot be used: {schemaError}. Leave it null to use the connection's search_path.";
        }

        return null;
    }
}
