using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Runtime.Postgres;
using OpenClaw.Runtime;

namespace OpenClaw.Grains.Tenants;

/// <summary>
/// The cluster's tenant store in PostgreSQL: <c>tenants(tenant_id, record jsonb, created_at,
/// updated_at)</c> and <c>tenant_tokens(token_hash, tenant_id, created_at, revoked_at)</c>, created
/// on first use by <see cref="PostgresSchemaMigrator"/> (component <c>tenants</c>). Every
/// operation is a single statement, so silos and admin tools can share the store. Tokens are
/// looked up by their SHA-256 hash; revoked tokens stay as rows with <c>revoked_at</c> set.
/// </summary>
public sealed class PostgresTenantStore : HashedTokenTenantStore, IAsyncDisposable, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly string? _schemaName;
    private readonly string _tenants;
    private readonly string _tokens;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _schemaGate = new(1, 1);
    private volatile bool _schemaReady;

    /// <summary>A store with its own connection pool built from <see cref="PostgresTenantStoreOptions.ConnectionString"/>.</summary>
    public PostgresTenantStore(IOptions<PostgresTenantStoreOptions> options, ILogger<PostgresTenantStore>? logger = null, TimeProvider? timeProvider = null)
        : this(CreateDataSource(options), ownsDataSource: true, options.Value.SchemaName, logger, timeProvider)
    {
    }

    /// <summary>A store on a data source shared with other components; the caller disposes the data source.</summary>
    public PostgresTenantStore(NpgsqlDataSource dataSource, string? schemaName, ILogger<PostgresTenantStore>? logger = null, TimeProvider? timeProvider = null)
        : this(dataSource, ownsDataSource: false, schemaName, logger, timeProvider)
    {
    }

    private PostgresTenantStore(NpgsqlDataSource dataSource, bool ownsDataSource, string? schemaName, ILogger? logger, TimeProvider? timeProvider)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var validation = new PostgresTenantStoreOptionsValidator().Validate(
            Options.DefaultName, new PostgresTenantStoreOptions { ConnectionString = "Host=validation", SchemaName = schemaName });
        if (validation.Failed)
        {
            throw new ArgumentException(validation.FailureMessage, nameof(schemaName));
        }

        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        _schemaName = schemaName;
        _tenants = Qualify(schemaName, PostgresTenantStoreSchema.TenantsTable);
        _tokens = Qualify(schemaName, PostgresTenantStoreSchema.TokensTable);
        _logger = logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
    }

    public override async Task<TenantRecord?> GetAsync(string tenantId, CancellationToken cancellationToken)
    {
        TenantIds.Validate(tenantId);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var command = _dataSource.CreateCommand($"SELECT record::text FROM {_tenants} WHERE tenant_id = $1");
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = tenantId });
            var json = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
            return json is null ? null : Deserialize(json);
        }
    }

    public override async Task<IReadOnlyList<TenantRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var command = _dataSource.CreateCommand($"SELECT record::text FROM {_tenants} ORDER BY tenant_id COLLATE \"C\"");
        await using (command.ConfigureAwait(false))
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var tenants = new List<TenantRecord>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    tenants.Add(Deserialize(reader.GetString(0)));
                }

                return tenants;
            }
        }
    }

    public override async Task UpsertAsync(TenantRecord tenant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        TenantIds.Validate(tenant.TenantId, nameof(tenant));
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);

        var now = _time.GetUtcNow();
        var keepStoredCreatedAt = tenant.CreatedAt == default;
        var record = TenantRecords.Normalize(tenant, storedCreatedAt: null, now);
        var json = JsonSerializer.Serialize(record, TenantStoreJsonContext.Default.TenantRecord);

        // A record without CreatedAt keeps the stored one (in the column and inside the record).
        var command = _dataSource.CreateCommand(
            $"""
            INSERT INTO {_tenants} AS t (tenant_id, record, created_at, updated_at)
            VALUES ($1, $2, $3, $4)
            ON CONFLICT (tenant_id) DO UPDATE SET
                record = CASE WHEN $5
                    THEN jsonb_set(EXCLUDED.record, ARRAY['createdAt'], COALESCE(t.record -> 'createdAt', EXCLUDED.record -> 'createdAt'))
                    ELSE EXCLUDED.record END,
                created_at = CASE WHEN $5 THEN t.created_at ELSE EXCLUDED.created_at END,
                updated_at = EXCLUDED.updated_at
            """);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = record.TenantId });
            command.Parameters.Add(new NpgsqlParameter { Value = json, NpgsqlDbType = NpgsqlDbType.Jsonb });
            command.Parameters.Add(new NpgsqlParameter { Value = record.CreatedAt.ToUniversalTime() });
            command.Parameters.Add(new NpgsqlParameter { Value = now.ToUniversalTime() });
            command.Parameters.Add(new NpgsqlParameter { Value = keepStoredCreatedAt });
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        TenantStoreLog.TenantSaved(_logger, record.TenantId);
    }

    protected override async Task<int> RevokeTokenHashesAsync(string tenantId, string? hash, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var sql = hash is null
            ? $"UPDATE {_tokens} SET revoked_at = $2 WHERE tenant_id = $1 AND revoked_at IS NULL"
            : $"UPDATE {_tokens} SET revoked_at = $2 WHERE tenant_id = $1 AND revoked_at IS NULL AND token_hash = $3";
        var command = _dataSource.CreateCommand(sql);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = tenantId });
            command.Parameters.Add(new NpgsqlParameter { Value = _time.GetUtcNow().ToUniversalTime() });
            if (hash is not null)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = hash });
            }

            var revoked = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            if (revoked > 0)
            {
                TenantStoreLog.TokensRevoked(_logger, tenantId, revoked);
            }

            return revoked;
        }
    }

    protected override async Task<string?> FindTenantByTokenHashAsync(string hash, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var command = _dataSource.CreateCommand(
            $"""
            SELECT k.token_hash, t.record::text
            FROM {_tokens} k JOIN {_tenants} t ON t.tenant_id = k.tenant_id
            WHERE k.token_hash = $1 AND k.revoked_at IS NULL
            """);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = hash });
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                    || !TenantTokens.HashesEqual(reader.GetString(0), hash))
                {
                    return null;
                }

                var tenant = Deserialize(reader.GetString(1));
                return tenant.Disabled ? null : tenant.TenantId;
            }
        }
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

    protected override async Task AddTokenHashAsync(string tenantId, string hash, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);

        // A token registered again for the same tenant is reactivated; one of another tenant is left alone (no row returned).
        var command = _dataSource.CreateCommand(
            $"""
            INSERT INTO {_tokens} AS k (token_hash, tenant_id, created_at, revoked_at)
            VALUES ($1, $2, $3, NULL)
            ON CONFLICT (token_hash) DO UPDATE SET revoked_at = NULL
                WHERE k.tenant_id = EXCLUDED.tenant_id
            RETURNING k.tenant_id
            """);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = hash });
            command.Parameters.Add(new NpgsqlParameter { Value = tenantId });
            command.Parameters.Add(new NpgsqlParameter { Value = _time.GetUtcNow().ToUniversalTime() });
            object? owner;
            try
            {
                owner = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ForeignKeyViolation)
            {
                throw new InvalidOperationException($"Tenant '{tenantId}' does not exist; create it before adding tokens.", ex);
            }

            if (owner is null)
            {
                throw new InvalidOperationException("This token is already registered to another tenant.");
            }
        }

        TenantStoreLog.TokenAdded(_logger, tenantId);
    }

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

            try
            {
                var result = await PostgresSchemaMigrator.MigrateAsync(
                    _dataSource, PostgresTenantStoreSchema.Component, PostgresTenantStoreSchema.Migrations, _schemaName, _logger, cancellationToken)
                    .ConfigureAwait(false);
                TenantStoreLog.PostgresReady(_logger, _schemaName ?? "(search_path)", result.CurrentVersion);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                TenantStoreLog.PostgresSchemaFailed(_logger, ex);
                throw;
            }

            _schemaReady = true;
        }
        finally
        {
            _schemaGate.Release();
        }
    }

    private static TenantRecord Deserialize(string json)
    {
        TenantRecord? record;
        try
        {
            record = JsonSerializer.Deserialize(json, TenantStoreJsonContext.Default.TenantRecord);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"A stored tenant record is not valid: {ex.Message}", ex);
        }

        if (record is null || !TenantIds.IsValid(record.TenantId))
        {
            throw new InvalidDataException("A stored tenant record is empty or has an invalid id.");
        }

        return record with { Config = record.Config ?? new TenantConfig() };
    }

    private static NpgsqlDataSource CreateDataSource(IOptions<PostgresTenantStoreOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var validation = new PostgresTenantStoreOptionsValidator().Validate(Options.DefaultName, options.Value);
        if (validation.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(PostgresTenantStoreOptions), validation.Failures ?? []);
        }

        return NpgsqlDataSource.Create(options.Value.ConnectionString);
    }

    private static string Qualify(string? schemaName, string table) =>
        schemaName is null ? Quote(table) : $"{Quote(schemaName)}.{Quote(table)}";

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
