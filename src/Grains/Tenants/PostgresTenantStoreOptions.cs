namespace OpenClaw.Grains.Tenants;

/// <summary>Where the cluster's tenant store lives in PostgreSQL.</summary>
public sealed class PostgresTenantStoreOptions
{
    /// <summary>An Npgsql connection string.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>The schema of the <c>tenants</c> and <c>tenant_tokens</c> tables (created when missing); the connection's <c>search_path</c> when null.</summary>
    public string? SchemaName { get; set; }
}
