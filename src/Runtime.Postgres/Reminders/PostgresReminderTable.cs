using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace OpenClaw.Runtime.Postgres;

/// <summary>
/// The reminder table of a cluster in PostgreSQL: one row per (cluster, grain, name) with the
/// grain hash indexed for the range reads of each silo's share. A new row and the per-grain
/// bound are checked under a transaction-level advisory lock on the grain's hash, so concurrent
/// registrations from several silos cannot exceed the bound.
/// </summary>
public sealed class PostgresReminderTable : IReminderTable, IAsyncDisposable
{
    /// <summary>First key of the two-key advisory locks taken per grain hash ("RMND").</summary>
    private const int AdvisoryLockClass = 0x524D4E44;

    private const string Columns = "grain_id, name, start_at, period_ticks, etag, delivered";

    private readonly NpgsqlDataSource _dataSource;
    private readonly string? _schemaName;
    private readonly string _clusterId;
    private readonly string _table;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _schemaGate = new(1, 1);
    private volatile bool _ready;

    public PostgresReminderTable(IOptions<PostgresReminderTableOptions> options, ILogger<PostgresReminderTable> logger)
    {
        var value = options.Value;
        if (value.Validate() is { } error) throw new OptionsValidationException(nameof(PostgresReminderTableOptions), typeof(PostgresReminderTableOptions), [error]);
        _dataSource = NpgsqlDataSource.Create(value.ConnectionString);
        _schemaName = value.SchemaName;
        _clusterId = value.ClusterId;
        _table = PostgresIdentifier.Qualify(_schemaName, PostgresReminderSchema.Table);
        _logger = logger;
    }

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (_ready) return;
        await _schemaGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_ready) return;
            await PostgresSchemaMigrator.MigrateAsync(_dataSource, PostgresReminderSchema.Component, PostgresReminderSchema.Migrations,
                _schemaName, _logger, cancellationToken).ConfigureAwait(false);
            _ready = true;
        }
        finally
        {
            _schemaGate.Release();
        }
    }

    public async Task<ReminderRow?> ReadAsync(GrainId grainId, string name, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync($"SELECT {Columns} FROM {_table} WHERE cluster_id = $1 AND grain_id = $2 AND name = $3", cancellationToken,
            _clusterId, grainId.ToString(), name).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public Task<IReadOnlyList<ReminderRow>> ReadGrainAsync(GrainId grainId, CancellationToken cancellationToken) =>
        QueryAsync($"SELECT {Columns} FROM {_table} WHERE cluster_id = $1 AND grain_id = $2", cancellationToken, _clusterId, grainId.ToString());

    public Task<IReadOnlyList<ReminderRow>> ReadRangeAsync(ReminderHashRange range, CancellationToken cancellationToken) =>
        QueryAsync($"SELECT {Columns} FROM {_table} WHERE cluster_id = $1 AND grain_hash BETWEEN $2 AND $3", cancellationToken,
            _clusterId, (long)range.Start, (long)range.End);

    public async Task<ReminderUpsertResult> UpsertAsync(ReminderEntry entry, string? expectedETag, int maxPerGrain, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var grain = entry.GrainId.ToString();
        var hash = ReminderHash.Of(entry.GrainId);
        var etag = Random.Shared.NextInt64().ToString("x16", CultureInfo.InvariantCulture);
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await ScalarAsync(connection, transaction, "SELECT pg_advisory_xact_lock($1, $2)", cancellationToken, AdvisoryLockClass, unchecked((int)hash)).ConfigureAwait(false);
                var current = await ScalarAsync(connection, transaction, $"SELECT etag FROM {_table} WHERE cluster_id = $1 AND grain_id = $2 AND name = $3",
                    cancellationToken, _clusterId, grain, entry.Name).ConfigureAwait(false) as string;
                if (expectedETag is not null && current != expectedETag) return ReminderUpsertResult.Mismatch;
                if (current is null)
                {
                    var count = (long)(await ScalarAsync(connection, transaction, $"SELECT count(*) FROM {_table} WHERE cluster_id = $1 AND grain_id = $2",
                        cancellationToken, _clusterId, grain).ConfigureAwait(false))!;
                    if (count >= maxPerGrain) return ReminderUpsertResult.LimitReached;
                }
                await ScalarAsync(connection, transaction,
                    $"""
                    INSERT INTO {_table} (cluster_id, grain_id, name, grain_hash, start_at, period_ticks, etag, delivered)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, NULL)
                    ON CONFLICT (cluster_id, grain_id, name) DO UPDATE SET
                        start_at = excluded.start_at, period_ticks = excluded.period_ticks, etag = excluded.etag, delivered = NULL
                    """,
                    cancellationToken, _clusterId, grain, entry.Name, (long)hash, entry.StartAt.UtcTicks, entry.Period.Ticks, etag).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return ReminderUpsertResult.Written(etag);
            }
        }
    }

    public async Task<bool> RemoveAsync(GrainId grainId, string name, string? expectedETag, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var command = expectedETag is null
            ? Command($"DELETE FROM {_table} WHERE cluster_id = $1 AND grain_id = $2 AND name = $3", _clusterId, grainId.ToString(), name)
            : Command($"DELETE FROM {_table} WHERE cluster_id = $1 AND grain_id = $2 AND name = $3 AND etag = $4", _clusterId, grainId.ToString(), name, expectedETag);
        await using (command.ConfigureAwait(false))
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    public async Task RecordDeliveredAsync(IReadOnlyList<DeliveredTick> ticks, CancellationToken cancellationToken)
    {
        if (ticks.Count == 0) return;
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var command = Command(
            $"""
            UPDATE {_table} AS r SET delivered = d.tick
            FROM unnest($2::text[], $3::text[], $4::text[], $5::bigint[]) AS d(grain_id, name, etag, tick)
            WHERE r.cluster_id = $1 AND r.grain_id = d.grain_id AND r.name = d.name AND r.etag = d.etag
              AND (r.delivered IS NULL OR r.delivered < d.tick)
            """,
            _clusterId,
            ticks.Select(t => t.GrainId.ToString()).ToArray(),
            ticks.Select(t => t.Name).ToArray(),
            ticks.Select(t => t.ETag).ToArray(),
            ticks.Select(t => t.Tick.UtcTicks).ToArray());
        await using (command.ConfigureAwait(false))
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        _schemaGate.Dispose();
        return _dataSource.DisposeAsync();
    }

    private async Task<IReadOnlyList<ReminderRow>> QueryAsync(string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var command = Command(sql, parameters);
        await using (command.ConfigureAwait(false))
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                return await ReminderRowReader.ReadAllAsync(reader, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private NpgsqlCommand Command(string sql, params object[] parameters)
    {
        var command = _dataSource.CreateCommand(sql);
        foreach (var parameter in parameters) command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        return command;
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        await using (command.ConfigureAwait(false))
        {
            foreach (var parameter in parameters) command.Parameters.Add(new NpgsqlParameter { Value = parameter });
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
