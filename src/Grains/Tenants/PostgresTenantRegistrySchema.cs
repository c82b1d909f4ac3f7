namespace OpenClaw.Grains.Tenants;

/// <summary>
/// The tenant tables and their migrations, applied by <c>OpenClaw.Runtime.PostgresSchemaMigrator</c>
/// as component <c>tenants</c>. Append-only: never edit a shipped script, add a new one.
/// </summary>
internal static class PostgresTenantRegistrySchema
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

        // v2: the registry's columns (status, plan, display name, config out of the record; ordinal
        // id order for keyset paging) and the token lifecycle (id, name, expiry, last use).
        $"""
        ALTER TABLE {TokensTable} DROP CONSTRAINT {TokensTable}_tenant_fkey;
        ALTER TABLE {TenantsTable}
            ALTER COLUMN tenant_id TYPE text COLLATE "C",
            ADD COLUMN display_name text,
            ADD COLUMN plan text,
            ADD COLUMN status smallint NOT NULL DEFAULT 0,
            ADD COLUMN config jsonb;
        UPDATE {TenantsTable} SET
            display_name = COALESCE(record ->> 'displayName', ''),
            plan = COALESCE(NULLIF(record ->> 'plan', ''), 'free'),
            status = CASE WHEN COALESCE((record ->> 'disabled')::boolean, false) THEN 1 ELSE 0 END,
            config = COALESCE(record -> 'config', jsonb_build_object());
        ALTER TABLE {TenantsTable}
            ALTER COLUMN display_name SET NOT NULL,
            ALTER COLUMN plan SET NOT NULL,
            ALTER COLUMN config SET NOT NULL,
            ALTER COLUMN status DROP DEFAULT,
            DROP COLUMN record;
        CREATE INDEX {TenantsTable}_status_idx ON {TenantsTable} (status, tenant_id);
        CREATE INDEX {TenantsTable}_plan_idx ON {TenantsTable} (plan, tenant_id);
        ALTER TABLE {TokensTable}
            ALTER COLUMN tenant_id TYPE text COLLATE "C",
            ADD COLUMN token_id text,
            ADD COLUMN name text NOT NULL DEFAULT 'default',
            ADD COLUMN expires_at timestamptz NULL,
            ADD COLUMN last_used_at timestamptz NULL;
        UPDATE {TokensTable} SET token_id = 'tok_' || left(token_hash, 16);
        ALTER TABLE {TokensTable}
            ALTER COLUMN token_id SET NOT NULL,
            ALTER COLUMN name DROP DEFAULT,
            ADD CONSTRAINT {TokensTable}_tenant_fkey FOREIGN KEY (tenant_id) REFERENCES {TenantsTable} (tenant_id) ON DELETE CASCADE;
        CREATE UNIQUE INDEX {TokensTable}_tenant_token_idx ON {TokensTable} (tenant_id, token_id);
        """,
    ];
}
