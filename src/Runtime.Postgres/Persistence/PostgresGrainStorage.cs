using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace OpenClaw.Runtime.Postgres;

/// <summary>
/// Grain storage in PostgreSQL for clusters: one row per (grain type, grain key, state name) in
/// <c>openclaw_grain_state</c>, with an integer ETag for optimistic concurrency. The check and the
/// change are a single statement (<c>INSERT … ON CONFLICT DO NOTHING</c> for ETag 0,
/// <c>UPDATE … WHERE etag = N</c> otherwise), so concurrent writers from any number of silos
/// cannot both win. A clear keeps the row as a tombstone (data NULL) so its ETag keeps counting.
/// The table is created or upgraded by <see cref="PostgresSchemaMigrator"/> on first use.
/// Stale writes throw <see cref="InconsistentStateException"/> and are never retried.
/// <para>
/// Limits that come from PostgreSQL: jsonb stores JSON by meaning, not byte for byte (whitespace
/// and key order change, which no deserializer notices), cannot hold <c>\u0000</c> in strings,
/// and a grain type + key + state name must fit one primary-key index entry (about 2.7 KB after
/// compression).
/// </para>
/// </summary>
public sealed class PostgresGrainStorage : IGrainStorage, IAsyncDisposable, IDisposable
{
    private readonly string _name;
    private readonly string? _schemaName;
    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _schemaGate = new(1, 1);
    private readonly string _table;
    private volatile bool _schemaReady;

    /// <summary>Creates the storage with its own connection pool, built from <see cref="PostgresGrainStorageOptions.ConnectionString"/>.</summary>
    public PostgresGrainStorage(string name, PostgresGrainStorageOptions options, ILogger<PostgresGrainStorage>? logger = null)
        : this(name, CreateDataSource(name, options), options.SchemaName, ownsDataSource: true, logger)
    {
    }

    /// <summary>Creates the storage on a data source shared with other components; the caller disposes it.</summary>
    public PostgresGrainStorage(string name, NpgsqlDataSource dataSource, string? schemaName, ILogger<PostgresGrainStorage>? logger = null)
        : this(name, dataSource, schemaName, ownsDataSource: false, logger)
    {
    }

    private PostgresGrainStorage(string name, NpgsqlDataSource dataSource, string? schemaName, bool ownsDataSource, ILogger? logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(dataSource);
        if (schemaName is not null && PostgresIdentifier.Validate(schemaName) is { } schemaError)
        {
            throw new ArgumentException($"PostgreSQL grain storage '{name}': schema name '{schemaName}' cannot be used: {schemaError}.", nameof(schemaName));
        }

        _name = name;
        _dataSource = dataSource;
        _schemaName = schemaName;
        _ownsDataSource = ownsDataSource;
        _logger = logger ?? NullLogger.Instance;
        _table = PostgresIdentifier.Qualify(schemaName, PostgresGrainStorageSchema.Table);
    }

    public async Task<StoredGrainState?> ReadAsync(GrainStateKey key, CancellationToken cancellationToken)
    {
        GrainStateKeyValidation.Validate(key);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);

        var command = CreateCommand($"SELECT etag, data FROM {_table} WHERE grain_type = $1 AND grain_key = $2 AND state_name = $3", key);
        await using (command.ConfigureAwait(false))
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }

                var etag = reader.GetInt32(0);
                var data = await reader.IsDBNullAsync(1, cancellationToken).ConfigureAwait(false)
                    ? null
                    : await reader.GetFieldValueAsync<byte[]>(1, cancellationToken).ConfigureAwait(false);
                return new StoredGrainState(data, etag);
            }
        }
    }

    public Task<int> WriteAsync(GrainStateKey key, ReadOnlyMemory<byte> data, int expectedEtag, CancellationToken cancellationToken) =>
        ReplaceAsync(key, data, tombstone: false, expectedEtag, "write", cancellationToken);

    public Task<int> ClearAsync(GrainStateKey key, int expectedEtag, CancellationToken cancellationToken) =>
        ReplaceAsync(key, ReadOnlyMemory<byte>.Empty, tombstone: true, expectedEtag, "clear", cancellationToken);

    private async Task<int> ReplaceAsync(GrainStateKey key, ReadOnlyMemory<byte> data, bool tombstone, int expectedEtag, string operation, CancellationToken cancellationToken)
    {
        GrainStateKeyValidation.Validate(key);
        GrainStateKeyValidation.ValidateExpectedEtag(expectedEtag);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);

        var newEtag = expectedEtag == 0
            ? await InsertAsync(key, data, tombstone, cancellationToken).ConfigureAwait(false)
            : await UpdateAsync(key, data, tombstone, expectedEtag, cancellationToken).ConfigureAwait(false);
        if (newEtag is { } etag)
        {
            return etag;
        }

        // Nothing changed: the row's ETag is not the expected one. Read it only to explain the conflict.
        var storedEtag = (await ReadAsync(key, CancellationToken.None).ConfigureAwait(false))?.Etag ?? 0;
        PostgresGrainStorageLog.StaleEtag(_logger, _name, operation, key, expectedEtag, storedEtag);
        throw GrainStorageConflicts.Stale(_name, key, operation, storedEtag, expectedEtag);
    }

    /// <summary>Creates the row with ETag 1, or does nothing (null) when any row, even a tombstone, exists.</summary>
    private async Task<int?> InsertAsync(GrainStateKey key, ReadOnlyMemory<byte> data, bool tombstone, CancellationToken cancellationToken)
    {
        var command = CreateCommand(
            $"""
            INSERT INTO {_table} (grain_type, grain_key, state_name, etag, data, updated_at)
            VALUES ($1, $2, $3, 1, $4, now())
            ON CONFLICT (grain_type, grain_key, state_name) DO NOTHING
            """,
            key);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(DataParameter(data, tombstone));
            var rows = await ExecuteAsync(command, key, cancellationToken).ConfigureAwait(false);
            return rows == 1 ? 1 : null;
        }
    }

    /// <summary>Replaces the row whose ETag is <paramref name="expectedEtag"/>; null when there is no such row.</summary>
    private async Task<int?> UpdateAsync(GrainStateKey key, ReadOnlyMemory<byte> data, bool tombstone, int expectedEtag, CancellationToken cancellationToken)
    {
        var command = CreateCommand(
            $"""
            UPDATE {_table} SET etag = etag + 1, data = $4, updated_at = now()
            WHERE grain_type = $1 AND grain_key = $2 AND state_name = $3 AND etag = $5
            RETURNING etag
            """,
            key);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(DataParameter(data, tombstone));
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = expectedEtag });
            var reader = await ExecuteReaderAsync(command, key, cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? reader.GetInt32(0) : null;
            }
        }
    }

    private NpgsqlCommand CreateCommand(string sql, GrainStateKey key)
    {
        var command = _dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.GrainType });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.GrainKey });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.StateName });
        return command;
    }

    private static NpgsqlParameter DataParameter(ReadOnlyMemory<byte> data, bool tombstone) =>
        tombstone
            ? new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = DBNull.Value }
            : new NpgsqlParameter<ReadOnlyMemory<byte>> { NpgsqlDbType = NpgsqlDbType.Jsonb, TypedValue = data };

    private async Task<int> ExecuteAsync(NpgsqlCommand command, GrainStateKey key, CancellationToken cancellationToken)
    {
        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (IsRejectedJson(e))
        {
            throw RejectedJson(key, e);
        }
    }

    private async Task<NpgsqlDataReader> ExecuteReaderAsync(NpgsqlCommand command, GrainStateKey key, CancellationToken cancellationToken)
    {
        try
        {
            return await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (IsRejectedJson(e))
        {
            throw RejectedJson(key, e);
        }
    }

    /// <summary>invalid_text_representation (not JSON) or untranslatable_character (e.g. \u0000, which jsonb cannot hold).</summary>
    private static bool IsRejectedJson(PostgresException e) =>
        e.SqlState is PostgresErrorCodes.InvalidTextRepresentation or PostgresErrorCodes.UntranslatableCharacter;

    private ArgumentException RejectedJson(GrainStateKey key, PostgresException e) =>
        new($"PostgreSQL grain storage '{_name}' could not store {key}: PostgreSQL rejected the state as jsonb ({e.MessageText}). The state must be UTF-8 JSON without \\u0000 characters.", "data", e);

    /// <summary>Migrates the schema once per instance; a failure is not cached, so the next call retries.</summary>
    private async ValueTask EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        if (_schemaReady)
        {
            return;
        }

        await _schemaGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_schemaReady)
            {
                return;
            }

            var result = await PostgresSchemaMigrator.MigrateAsync(
                _dataSource, PostgresGrainStorageSchema.Component, PostgresGrainStorageSchema.Migrations, _schemaName, _logger, cancellationToken).ConfigureAwait(false);
            _schemaReady = true;
            PostgresGrainStorageLog.Ready(_logger, _name, _table, result.CurrentVersion);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            PostgresGrainStorageLog.SchemaFailed(_logger, e, _name);
            throw;
        }
        finally
        {
            _schemaGate.Release();
        }
    }

    private static NpgsqlDataSource CreateDataSource(string name, PostgresGrainStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate() is { } error)
        {
            throw new ArgumentException($"PostgreSQL grain storage '{name}': {error}", nameof(options));
        }

        return NpgsqlDataSource.Create(options.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        if (_ownsDataSource)
        {
            _dataSource.Dispose();
        }
    }
}
