namespace OpenClaw.Silo.Configuration;

/// <summary>
/// Where grain state and tenants live (<c>storage</c> section). <c>embedded</c> (default) needs
/// no services: files under <see cref="DataDirectory"/>. <c>postgres</c> is for clusters.
/// </summary>
public sealed class StorageOptions
{
    public const string SectionName = "storage";
    public const string Embedded = "embedded";
    public const string Postgres = "postgres";

    public string Provider { get; set; } = Embedded;

    /// <summary>Embedded data (grain state, tenants, workspaces); relative to the working directory.</summary>
    public string DataDirectory { get; set; } = ".data";

    public string? PostgresConnectionString { get; set; }
}
