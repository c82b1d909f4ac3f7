namespace OpenClaw.Grains.Tenants;

/// <summary>Where the cluster's tenant registry lives in PostgreSQL.</summary>
public sealed class PostgresTenantRegistryOptions
{
    /// <summary>An Npgsql connection string.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>The schema of the <c>tenants</c> and <c>tenant_tokens</c> tables (created when missing); the connection's <c>search_path</c> when null.</summary>
    public string? SchemaName { get; set; }

    /// <summary>How stale a token's last-used time may get before a lookup writes it again (default 5 minutes).</summary>
    public TimeSpan LastUsedResolution { get; set; } = TenantRegistryDefaults.LastUsedResolution;
}
