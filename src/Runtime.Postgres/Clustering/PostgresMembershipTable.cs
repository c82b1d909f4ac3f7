using System.Text.Json;
using Npgsql;

namespace OpenClaw.Runtime.Postgres;

/// <summary>
/// The membership table in PostgreSQL (as Orleans' ADO.NET clustering keeps it): one row per silo
/// and generation, plus a version row bumped by every change in the same statement or
/// transaction. Heartbeats renew <c>iam_alive_at</c> with the database's clock and do not bump
/// the version. A suspicion vote and the death declaration it may cause happen in one
/// transaction holding the suspect's row lock, so concurrent voters cannot lose each other's votes.
/// </summary>
internal sealed class PostgresMembershipTable(PostgresClusterDatabase db) : IMembershipTable
{
    private const short Dead = (short)SiloStatus.Dead;

    public Task InitializeAsync(CancellationToken cancellationToken) => db.EnsureSchemaAsync(cancellationToken);

    public async Task<long> ReadVersionAsync(CancellationToken cancellationToken)
    {
        await db.EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using var command = db.Command($"SELECT version FROM {db.MembershipVersion} WHERE cluster_id = $1", db.ClusterId);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long version ? version : 0;
    }

    public async Task<MembershipSnapshot> ReadAllAsync(CancellationToken cancellationToken)
    {
        await db.EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        long version;
        await using (var command = new NpgsqlCommand($"SELECT version FROM {db.MembershipVersion} WHERE cluster_id = $1", connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = db.ClusterId });
            version = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long v ? v : 0;
        }
        var entries = new List<MembershipEntry>();
        await using (var command = new NpgsqlCommand(
            $"SELECT address, status, host_name, started_at, iam_alive_at, activation_count, suspicions::text FROM {db.Membership} WHERE cluster_id = $1",
            connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = db.ClusterId });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                entries.Add(new MembershipEntry
                {
                    Silo = SiloAddress.Parse(reader.GetString(0)),
                    Status = (SiloStatus)reader.GetInt16(1),
                    HostName = reader.GetString(2),
                    StartedAt = reader.GetFieldValue<DateTimeOffset>(3),
                    IAmAliveAt = reader.GetFieldValue<DateTimeOffset>(4),
                    ActivationCount = reader.GetInt32(5),
                    Suspicions = ReadVotes(reader.GetString(6)),
                });
            }
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new MembershipSnapshot(version, entries);
    }

    public async Task JoinAsync(SiloAddress silo, string hostName, CancellationToken cancellationToken)
    {
        await db.EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using var command = db.Command(
            $"""
            WITH earlier AS (
                UPDATE {db.Membership} SET status = {Dead}
                WHERE cluster_id = $1 AND host = $3 AND port = $4 AND generation < $5 AND status <> {Dead}),
            joined AS (
                INSERT INTO {db.Membership} (cluster_id, address, host, port, generation, status, host_name, started_at, iam_alive_at)
                VALUES ($1, $2, $3, $4, $5, {(short)SiloStatus.Joining}, $6, now(), now()))
            INSERT INTO {db.MembershipVersion} (cluster_id, version) VALUES ($1, 1)
            ON CONFLICT (cluster_id) DO UPDATE SET version = {db.MembershipVersion}.version + 1
            """,
            db.ClusterId, silo.ToString(), silo.Host, silo.Port, silo.Generation, hostName);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<SiloStatus> HeartbeatAsync(SiloAddress silo, int activationCount, CancellationToken cancellationToken)
    {
        await using var command = db.Command(
            $"""
            WITH renewed AS (
                UPDATE {db.Membership} SET iam_alive_at = now(), activation_count = $3
                WHERE cluster_id = $1 AND address = $2 AND status <> {Dead}
                RETURNING status)
            SELECT status FROM renewed
            UNION ALL
            SELECT status FROM {db.Membership} WHERE cluster_id = $1 AND address = $2 AND NOT EXISTS (SELECT 1 FROM renewed)
            """,
            db.ClusterId, silo.ToString(), activationCount);
        try
        {
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is short status ? (SiloStatus)status : SiloStatus.None;
        }
        catch (NpgsqlException ex)
        {
            db.DropPooledConnectionsIfServerWentAway(ex);
            throw;
        }
    }

    public async Task<SiloStatus> SetStatusAsync(SiloAddress silo, SiloStatus status, CancellationToken cancellationToken)
    {
        await using var command = db.Command(
            $"""
            WITH changed AS (
                UPDATE {db.Membership} SET status = $3
                WHERE cluster_id = $1 AND address = $2 AND status <> {Dead} AND status <> $3
                RETURNING status),
            bumped AS (
                UPDATE {db.MembershipVersion} SET version = version + 1
                WHERE cluster_id = $1 AND EXISTS (SELECT 1 FROM changed))
            SELECT status FROM changed
            UNION ALL
            SELECT status FROM {db.Membership} WHERE cluster_id = $1 AND address = $2 AND NOT EXISTS (SELECT 1 FROM changed)
            """,
            db.ClusterId, silo.ToString(), (short)status);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is short after ? (SiloStatus)after : SiloStatus.None;
    }

    public async Task<SiloStatus> SuspectAsync(SiloAddress suspect, SiloAddress voter, int votesNeeded, TimeSpan voteExpiration, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        SiloStatus status;
        List<SuspicionVote> votes;
        DateTimeOffset now;
        DateTimeOffset aliveAt;
        await using (var read = new NpgsqlCommand(
            $"SELECT status, suspicions::text, iam_alive_at, now() FROM {db.Membership} WHERE cluster_id = $1 AND address = $2 FOR UPDATE",
            connection, transaction))
        {
            read.Parameters.Add(new NpgsqlParameter { Value = db.ClusterId });
            read.Parameters.Add(new NpgsqlParameter { Value = suspect.ToString() });
            await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return SiloStatus.None;
            status = (SiloStatus)reader.GetInt16(0);
            votes = ReadVotes(reader.GetString(1)).ToList();
            aliveAt = reader.GetFieldValue<DateTimeOffset>(2);
            now = reader.GetFieldValue<DateTimeOffset>(3);
        }
        if (status == SiloStatus.Dead) return status;

        votes.RemoveAll(v => v.Voter == voter || now - v.At >= voteExpiration);
        votes.Add(new SuspicionVote(voter, now));
        var declareDead = votes.Count >= votesNeeded && now - aliveAt >= leaseDuration;
        await using (var write = new NpgsqlCommand(
            $"""
            WITH changed AS (
                UPDATE {db.Membership} SET suspicions = $3::jsonb, status = $4 WHERE cluster_id = $1 AND address = $2)
            UPDATE {db.MembershipVersion} SET version = version + 1 WHERE cluster_id = $1
            """,
            connection, transaction))
        {
            write.Parameters.Add(new NpgsqlParameter { Value = db.ClusterId });
            write.Parameters.Add(new NpgsqlParameter { Value = suspect.ToString() });
            write.Parameters.Add(new NpgsqlParameter { Value = WriteVotes(votes) });
            write.Parameters.Add(new NpgsqlParameter { Value = declareDead ? Dead : (short)status });
            await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return declareDead ? SiloStatus.Dead : status;
    }

    public async Task<int> CleanupDeadAsync(TimeSpan age, CancellationToken cancellationToken)
    {
        await using var command = db.Command(
            $"DELETE FROM {db.Membership} WHERE cluster_id = $1 AND status = {Dead} AND iam_alive_at < now() - $2",
            db.ClusterId, age);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static List<SuspicionVote> ReadVotes(string json)
    {
        var votes = new List<SuspicionVote>();
        using var document = JsonDocument.Parse(json);
        foreach (var vote in document.RootElement.EnumerateArray())
            votes.Add(new SuspicionVote(SiloAddress.Parse(vote.GetProperty("voter").GetString()!), vote.GetProperty("at").GetDateTimeOffset()));
        return votes;
    }

    private static string WriteVotes(IEnumerable<SuspicionVote> votes)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartArray();
            foreach (var vote in votes)
            {
                writer.WriteStartObject();
                writer.WriteString("voter", vote.Voter.ToString());
                writer.WriteString("at", vote.At);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
