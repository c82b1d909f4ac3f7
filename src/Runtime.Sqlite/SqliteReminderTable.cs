using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OpenClaw.Runtime.Sqlite;

/// <summary>
/// The embedded reminder table: one SQLite file in WAL mode, created 0600 in a 0700 directory.
/// Rows are keyed by (grain id, name) without a rowid, with an index on the grain hash for range
/// reads. Writes run in IMMEDIATE transactions, so the per-grain bound holds under concurrency.
/// Times are stored as UTC ticks.
/// </summary>
public sealed class SqliteReminderTable : IReminderTable, IDisposable
{
    private const string Columns = "grain_id, name, start_at, period, etag, delivered";

    private static readonly string[] Migrations =
    [
        // v1
        """
        CREATE TABLE reminders (
            grain_id   TEXT    NOT NULL,
            name       TEXT    NOT NULL,
            grain_hash INTEGER NOT NULL,
            start_at   INTEGER NOT NULL,
            period     INTEGER NOT NULL,
            etag       TEXT    NOT NULL,
            delivered  INTEGER NULL,
            PRIMARY KEY (grain_id, name)
        ) WITHOUT ROWID;
        CREATE INDEX reminders_by_hash ON reminders (grain_hash);
        """,
    ];

    private readonly string _connectionString;
    private readonly string _directory;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _openGate = new(1, 1);
    private volatile bool _opened;

    public SqliteReminderTable(SqliteReminderTableOptions options, ILogger<SqliteReminderTable> logger)
    {
        if (options.Validate() is { } problem)
            throw new OptionsValidationException(nameof(SqliteReminderTableOptions), typeof(SqliteReminderTableOptions), [problem]);
        _directory = Path.GetFullPath(options.Directory);
        FilePath = Path.Join(_directory, options.FileName);
        _logger = logger;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string FilePath { get; }

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (_opened) return;
        await _openGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_opened) return;
            OwnerOnlyPaths.CreateDirectory(_directory);
            if (!File.Exists(FilePath))
            {
                // Created 0600 before SQLite opens it; SQLite gives its -wal and -shm files the same mode.
                new FileStream(FilePath, OwnerOnlyPaths.ForNewFile(new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write })).Dispose();
            }
            var connection = new SqliteConnection(_connectionString);
            await using (connection.ConfigureAwait(false))
            {
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                await NonQueryAsync(connection, null, "PRAGMA journal_mode=WAL", cancellationToken).ConfigureAwait(false);
                var version = Convert.ToInt32(await ScalarAsync(connection, null, "PRAGMA user_version", cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
                if (version > Migrations.Length)
                    throw new InvalidOperationException($"The reminder table {FilePath} is at schema v{version}, newer than this build knows (v{Migrations.Length}).");
                for (var next = version + 1; next <= Migrations.Length; next++)
                {
                    var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                    await using (transaction.ConfigureAwait(false))
                    {
                        await NonQueryAsync(connection, transaction, Migrations[next - 1], cancellationToken).ConfigureAwait(false);
                        await NonQueryAsync(connection, transaction, $"PRAGMA user_version = {next.ToString(CultureInfo.InvariantCulture)}", cancellationToken).ConfigureAwait(false);
                        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            foreach (var path in new[] { _directory, FilePath, FilePath + "-wal", FilePath + "-shm" })
            {
                if ((File.Exists(path) || Directory.Exists(path)) && !OwnerOnlyPaths.TryRestrict(path, out var problem))
                    SqliteReminderLog.NotRestricted(_logger, path, problem!);
            }
            _opened = true;
        }
        finally
        {
            _openGate.Release();
        }
    }

    public async Task<ReminderRow?> ReadAsync(GrainId grainId, string name, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync($"SELECT {Columns} FROM reminders WHERE grain_id = $grain AND name = $name", cancellationToken,
            ("$grain", grainId.ToString()), ("$name", name)).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public Task<IReadOnlyList<ReminderRow>> ReadGrainAsync(GrainId grainId, CancellationToken cancellationToken) =>
        QueryAsync($"SELECT {Columns} FROM reminders WHERE grain_id = $grain", cancellationToken, ("$grain", grainId.ToString()));

    public Task<IReadOnlyList<ReminderRow>> ReadRangeAsync(ReminderHashRange range, CancellationToken cancellationToken) =>
        range == ReminderHashRange.All
            ? QueryAsync($"SELECT {Columns} FROM reminders", cancellationToken)
            : QueryAsync($"SELECT {Columns} FROM reminders WHERE grain_hash BETWEEN $start AND $end", cancellationToken,
                ("$start", (long)range.Start), ("$end", (long)range.End));

    public async Task<ReminderUpsertResult> UpsertAsync(ReminderEntry entry, string? expectedETag, int maxPerGrain, CancellationToken cancellationToken)
    {
        var grain = entry.GrainId.ToString();
        var etag = NewETag();
        var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var current = (string?)await ScalarAsync(connection, transaction, "SELECT etag FROM reminders WHERE grain_id = $grain AND name = $name",
                    cancellationToken, ("$grain", grain), ("$name", entry.Name)).ConfigureAwait(false);
                if (expectedETag is not null && current != expectedETag) return ReminderUpsertResult.Mismatch;
                if (current is null)
                {
                    var count = (long)(await ScalarAsync(connection, transaction, "SELECT count(*) FROM reminders WHERE grain_id = $grain",
                        cancellationToken, ("$grain", grain)).ConfigureAwait(false))!;
                    if (count >= maxPerGrain) return ReminderUpsertResult.LimitReached;
                }
                await NonQueryAsync(connection, transaction,
                    """
                    INSERT INTO reminders (grain_id, name, grain_hash, start_at, period, etag, delivered)
                    VALUES ($grain, $name, $hash, $start, $period, $etag, NULL)
                    ON CONFLICT (grain_id, name) DO UPDATE SET
                        start_at = excluded.start_at, period = excluded.period, etag = excluded.etag, delivered = NULL
                    """,
                    cancellationToken,
                    ("$grain", grain), ("$name", entry.Name), ("$hash", (long)ReminderHash.Of(entry.GrainId)),
                    ("$start", entry.StartAt.UtcTicks), ("$period", entry.Period.Ticks), ("$etag", etag)).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return ReminderUpsertResult.Written(etag);
            }
        }
    }

    public async Task<bool> RemoveAsync(GrainId grainId, string name, string? expectedETag, CancellationToken cancellationToken)
    {
        var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var removed = expectedETag is null
                ? await NonQueryAsync(connection, null, "DELETE FROM reminders WHERE grain_id = $grain AND name = $name", cancellationToken,
                    ("$grain", grainId.ToString()), ("$name", name)).ConfigureAwait(false)
                : await NonQueryAsync(connection, null, "DELETE FROM reminders WHERE grain_id = $grain AND name = $name AND etag = $etag", cancellationToken,
                    ("$grain", grainId.ToString()), ("$name", name), ("$etag", expectedETag)).ConfigureAwait(false);
            return removed > 0;
        }
    }

    public async Task RecordDeliveredAsync(IReadOnlyList<DeliveredTick> ticks, CancellationToken cancellationToken)
    {
        if (ticks.Count == 0) return;
        var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var command = connection.CreateCommand();
                await using (command.ConfigureAwait(false))
                {
                    command.Transaction = transaction;
                    command.CommandText = """
                        UPDATE reminders SET delivered = $tick
                        WHERE grain_id = $grain AND name = $name AND etag = $etag AND (delivered IS NULL OR delivered < $tick)
                        """;
                    var tick = command.Parameters.Add("$tick", SqliteType.Integer);
                    var grain = command.Parameters.Add("$grain", SqliteType.Text);
                    var name = command.Parameters.Add("$name", SqliteType.Text);
                    var etag = command.Parameters.Add("$etag", SqliteType.Text);
                    foreach (var delivered in ticks)
                    {
                        tick.Value = delivered.Tick.UtcTicks;
                        grain.Value = delivered.GrainId.ToString();
                        name.Value = delivered.Name;
                        etag.Value = delivered.ETag;
                        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public void Dispose()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        _openGate.Dispose();
    }

    private static string NewETag() => Random.Shared.NextInt64().ToString("x16", CultureInfo.InvariantCulture);

    private async Task<IReadOnlyList<ReminderRow>> QueryAsync(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = Command(connection, null, sql, parameters);
            await using (command.ConfigureAwait(false))
            {
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    return await ReminderRowReader.ReadAllAsync(reader, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    private async Task<SqliteConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        if (!_opened) await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            // WAL + NORMAL: a commit survives the process crashing, not necessarily the machine losing power; no fsync per write.
            await NonQueryAsync(connection, null, "PRAGMA synchronous = NORMAL", cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return command;
    }

    private static async Task<int> NonQueryAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken,
        params (string Name, object Value)[] parameters)
    {
        var command = Command(connection, transaction, sql, parameters);
        await using (command.ConfigureAwait(false))
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken,
        params (string Name, object Value)[] parameters)
    {
        var command = Command(connection, transaction, sql, parameters);
        await using (command.ConfigureAwait(false))
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }
}
