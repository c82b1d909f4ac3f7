using Npgsql;
using OpenClaw.Runtime;
using OpenClaw.Runtime.Postgres;

namespace OpenClaw.Cluster.Tests.Infrastructure;

/// <summary>One row of <c>openclaw_activation_audit</c>: an activation of <see cref="GrainId"/> (<c>type/key</c>) on <see cref="Silo"/>.</summary>
internal sealed record ActivationRecord(long Id, string GrainId, string Silo, string ActivationId, DateTimeOffset ActivatedAt)
{
    public string Key => GrainId[(GrainId.IndexOf('/', StringComparison.Ordinal) + 1)..];
}

/// <summary>What the test reads from the cluster's PostgreSQL tables (membership, activation audit), unpooled.</summary>
internal sealed class ClusterDatabase(Func<string> connectionString, string clusterId)
{
    public async Task<IReadOnlyList<ActivationRecord>> ActivationsAsync()
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(
            $"SELECT id, grain_id, silo, activation_id, activated_at FROM {PostgresClusteringSchema.Audit} WHERE cluster_id = $1 ORDER BY id", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = clusterId });
        var rows = new List<ActivationRecord>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            rows.Add(new ActivationRecord(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4)));
        return rows;
    }

    /// <summary>Silo address → status, every generation the table still has.</summary>
    public async Task<IReadOnlyDictionary<string, SiloStatus>> MembershipAsync()
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT address, status FROM {PostgresClusteringSchema.Membership} WHERE cluster_id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = clusterId });
        var rows = new Dictionary<string, SiloStatus>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows[reader.GetString(0)] = (SiloStatus)reader.GetInt16(1);
        return rows;
    }

    public async Task<SiloStatus> StatusOfAsync(string silo) =>
        (await MembershipAsync()).TryGetValue(silo, out var status) ? status : SiloStatus.None;

    /// <summary>The database's clock now (audit timestamps are the database's too).</summary>
    public async Task<DateTimeOffset> NowAsync()
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand("SELECT clock_timestamp()", connection);
        var utc = (DateTime)(await command.ExecuteScalarAsync())!;
        return new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc));
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(connectionString());
        await connection.OpenAsync();
        return connection;
    }
}
