namespace OpenClaw.Grains.Tenants;

/// <summary>
/// The embedded registry's tables; <c>PRAGMA user_version</c> is the applied version. Script
/// <c>i</c> brings the database to version <c>i + 1</c>. Append-only: never edit a shipped script.
/// Times are UTC ticks (exact round trips, ordered as integers).
/// </summary>
internal static class SqliteTenantRegistrySchema
{
    public static IReadOnlyList<string> Migrations { get; } =
    [
        """
        CREATE TABLE tenants (
            tenant_id    TEXT    NOT NULL PRIMARY KEY,
            display_name TEXT    NOT NULL,
            plan         TEXT    NOT NULL,
            status       INTEGER NOT NULL,
            created_at   INTEGER NOT NULL,
            updated_at   INTEGER NOT NULL,
            config       TEXT    NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX tenants_status_idx ON tenants (status, tenant_id);
        CREATE INDEX tenants_plan_idx ON tenants (plan, tenant_id);
        CREATE TABLE tenant_tokens (
            token_hash   TEXT    NOT NULL PRIMARY KEY,
            token_id     TEXT    NOT NULL,
            tenant_id    TEXT    NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
            name         TEXT    NOT NULL,
            created_at   INTEGER NOT NULL,
            expires_at   INTEGER NULL,
            last_used_at INTEGER NULL,
            revoked_at   INTEGER NULL
        ) WITHOUT ROWID;
        CREATE UNIQUE INDEX tenant_tokens_tenant_token_idx ON tenant_tokens (tenant_id, token_id);
        """,
    ];
}
