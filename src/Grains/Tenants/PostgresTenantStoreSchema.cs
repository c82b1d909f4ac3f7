namespace OpenClaw.Grains.Tenants;

/// <summary>
/// The tenant tables and their migrations, applied by <c>OpenClaw.Runtime.PostgresSchemaMigrator</c>
/// as component <c>tenants</c>. Append-only: never edit a shipped script, add a new one.
/// </summary>
internal static class PostgresTenantStoreSchema
{
    public const string Component = "tenants";
    public const string TenantsTable = "tenants";
    public const string TokensTable = "tenant_tokens";

    public static IReadOnlyList<string> Migrations { get; } =
    [
        // v1: tenants with their record as jsonb; tokens by SHA-256 hash, revoked rows kept for audit.
        $"""
        CREATE TABLE {TenantsTable} (
            tenant_id  text        NOT NULL,
            record     jsonb       NOT NULL,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            CONSTRAINT {TenantsTable}_pkey PRIMARY KEY (tenant_id)
        );
        CREATE TABLE {TokensTable} (
            token_hash text        NOT NULL,
            tenant_id  text        NOT NULL,
            created_at timestamptz NOT NULL,
            revoked_at timestamptz NULL,
            CONSTRAINT {TokensTable}_pkey PRIMARY KEY (token_hash),
            CONSTRAINT {TokensTable}_tenant_fkey FOREIGN KEY (tenant_id) REFERENCES {TenantsTable} (tenant_id) ON DELETE CASCADE
        );
        CREATE INDEX {TokensTable}_tenant_id_idx ON {TokensTable} (tenant_id);
        """,
    ];
}
