namespace OpenClaw.Runtime.Postgres;

/// <summary>The membership table, its version row, the grain directory and the activation audit (append-only migrations).</summary>
internal static class PostgresClusteringSchema
{
    public const string Component = "clustering";
    public const string Membership = "openclaw_membership";
    public const string MembershipVersion = "openclaw_membership_version";
    public const string Directory = "openclaw_grain_directory";
    public const string Audit = "openclaw_activation_audit";

    public static IReadOnlyList<string> Migrations { get; } =
    [
        // v1
        $"""
        CREATE TABLE {MembershipVersion} (
            cluster_id text   NOT NULL PRIMARY KEY,
            version    bigint NOT NULL
        );
        CREATE TABLE {Membership} (
            cluster_id       text        NOT NULL,
            address          text        NOT NULL,
            host             text        NOT NULL,
            port             integer     NOT NULL,
            generation       bigint      NOT NULL,
            status           smallint    NOT NULL,
            host_name        text        NOT NULL,
            started_at       timestamptz NOT NULL,
            iam_alive_at     timestamptz NOT NULL,
            activation_count integer     NOT NULL DEFAULT 0,
            suspicions       jsonb       NOT NULL DEFAULT '[]',
            PRIMARY KEY (cluster_id, address)
        );
        CREATE TABLE {Directory} (
            cluster_id    text        NOT NULL,
            grain_id      text        NOT NULL,
            silo          text        NOT NULL,
            activation_id text        NOT NULL,
            registered_at timestamptz NOT NULL,
            PRIMARY KEY (cluster_id, grain_id)
        );
        CREATE INDEX {Directory}_silo ON {Directory} (cluster_id, silo);
        CREATE TABLE {Audit} (
            id            bigserial   PRIMARY KEY,
            cluster_id    text        NOT NULL,
            grain_id      text        NOT NULL,
            silo          text        NOT NULL,
            activation_id text        NOT NULL,
            activated_at  timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX {Audit}_grain ON {Audit} (cluster_id, grain_id);
        """,
    ];
}
