using Npgsql;

namespace OpenClaw.Runtime.Postgres;

/// <summary>Where the reminder table lives in PostgreSQL (the storage's connection string unless set).</summary>
public sealed class PostgresReminderTableOptions
{
    public string ConnectionString { get; set; } = "";

    /// <summary>Schema of the table (created when missing); null uses the connection's search_path.</summary>
    public string? SchemaName { get; set; }

    /// <summary>Rows are kept per cluster id, so several clusters can share a database.</summary>
    public string ClusterId { get; set; } = ClusterOptions.DefaultClusterId;

    public string? Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString)) return "the PostgreSQL connection string for reminders is empty.";
        try
        {
            _ = new NpgsqlConnectionStringBuilder(ConnectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            return $"the PostgreSQL connection string for reminders is not valid: {e.Message}";
        }
        if (SchemaName is not null && PostgresIdentifier.Validate(SchemaName) is { } schemaError) return $"schema '{SchemaName}' cannot be used: {schemaError}.";
        if (string.IsNullOrWhiteSpace(ClusterId) || ClusterId.Length > 128) return "the reminder table's cluster id must be 1-128 characters.";
        return null;
    }
}
