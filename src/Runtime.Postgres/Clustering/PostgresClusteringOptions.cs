using Npgsql;

namespace OpenClaw.Runtime.Postgres;

/// <summary>Where the membership table and grain directory live (section <c>cluster</c>, key <c>postgresConnectionString</c>, or the storage's).</summary>
public sealed class PostgresClusteringOptions
{
    public string ConnectionString { get; set; } = "";

    /// <summary>Schema of the tables (created when missing); null uses the connection's search_path.</summary>
    public string? SchemaName { get; set; }

    public string? Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString)) return "the PostgreSQL connection string for clustering is empty.";
        try
        {
            _ = new NpgsqlConnectionStringBuilder(ConnectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            return $"the PostgreSQL connection string for clustering is not valid: {e.Message}";
        }
        if (SchemaName is not null && PostgresIdentifier.Validate(SchemaName) is { } schemaError) return $"schema '{SchemaName}' cannot be used: {schemaError}.";
        return null;
    }
}
