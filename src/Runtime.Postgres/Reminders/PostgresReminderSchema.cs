namespace OpenClaw.Runtime.Postgres;

/// <summary>The reminder table (append-only migrations). Times are UTC ticks, exact like the runtime's.</summary>
internal static class PostgresReminderSchema
{
    public const string Component = "reminders";
    public const string Table = "openclaw_reminders";

    public static IReadOnlyList<string> Migrations { get; } =
    [
        // v1
        $"""
        CREATE TABLE {Table} (
            cluster_id   text   NOT NULL,
            grain_id     text   NOT NULL,
            name         text   NOT NULL,
            grain_hash   bigint NOT NULL,
            start_at     bigint NOT NULL,
            period_ticks bigint NOT NULL,
            etag         text   NOT NULL,
            delivered    bigint NULL,
            PRIMARY KEY (cluster_id, grain_id, name)
        );
        CREATE INDEX {Table}_by_hash ON {Table} (cluster_id, grain_hash);
        """,
    ];
}
