namespace OpenClaw.Runtime.Postgres;

/// <summary>The grain state table and its migrations (append-only; see <see cref="PostgresSchemaMigrator"/>).</summary>
internal static class PostgresGrainStorageSchema
{
    public const string Component = "grain-storage";
    public const string Table = "openclaw_grain_state";

    public static IReadOnlyList<string> Migrations { get; } =
    [
        // v1: one row per (grain type, grain key, state name); data NULL is a tombstone.
        $"""
        CREATE TABLE {Table} (
            grain_type text        NOT NULL,
            grain_key  text        NOT NULL,
            state_name text        NOT NULL,
            etag       integer     NOT NULL CHECK (etag > 0),
            data       jsonb       NULL,
            updated_at timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT {Table}_pkey PRIMARY KEY (grain_type, grain_key, state_name)
        )
        """,
    ];
}
