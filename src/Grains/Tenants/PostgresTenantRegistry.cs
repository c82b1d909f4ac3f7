using System.Data.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Grains.Secrets;
using OpenClaw.Runtime.Postgres;

namespace OpenClaw.Grains.Tenants;

/// <summary>
/// The cluster's tenant registry in PostgreSQL: <c>tenants</c> and <c>tenant_tokens</c>, created
/// and upgraded in place by <see cref="PostgresSchemaMigrator"/> (component <c>tenants</c>). No
/// cache: every call is one statement or one short transaction, so any number of silos, edges and
/// admin tools share the registry and each sees the others' writes at once. Tokens are looked up by
/// their SHA-256 hash; revoked tokens stay as rows with <c>revoked_at</c> set.
/// </summary>
public sealed class PostgresTenantRegistry : TenantRegistryBase, IAsyncDisposable, IDisposable
{
    /// <summary>Statements per round trip when upserting many tenants.</summary>
    private const int UpsertBatchSize = 1000;

    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly string? _schemaName;
    private readonly string _tenants;
    private readonly string _tokens;
    private readonly ITenantSecretProtector? _secrets;
    private readonly SemaphoreSlim _schemaGate = new(1, 1);
    private volatile bool _schemaReady;

    /// <summary>A registry with its own connection pool built from <see cref="PostgresTenantRegistryOptions.ConnectionString"/>.</summary>
    public PostgresTenantRegistry(
        IOptions<PostgresTenantRegistryOptions> options,
        ITenantSecretProtector? secrets,
        ILogger<PostgresTenantRegistry>? logger = null,
        TimeProvider? timeProvider = null)
        : this(CreateDataSource(options), ownsDataSource: true, options.Value.SchemaName, options.Value.LastUsedResolution, secrets, logger, timeProvider)
    {
    }

    /// <summary>A registry on a data source shared with other components; the caller disposes the data source.</summary>
    public PostgresTenantRegistry(
        NpgsqlDataSource dataSource,
        string? schemaName,
        ITenantSecretProtector? secrets,
        ILogger<PostgresTenantRegistry>? logger = null,
        TimeProvider? timeProvider = null)
        : this(dataSource, ownsDataSource: false, schemaName, TenantRegistryDefaults.LastUsedResolution, secrets, logger, timeProvider)
    {
    }

    private PostgresTenantRegistry(
        NpgsqlDataSource dataSource, bool ownsDataSource, string? schemaName, TimeSpan lastUsedResolution,
        ITenantSecretProtector? secrets, ILogger? logger, TimeProvider? timeProvider)
        : base(secrets, timeProvider, lastUsedResolution, logger ?? NullLogger.Instance)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var validation = new PostgresTenantRegistryOptionsValidator().Validate(
            Options.DefaultName, new PostgresTenantRegistryOptions { ConnectionString = "Host=validation", SchemaName = schemaName, LastUsedResolution = lastUsedResolution });
        if (validation.Failed)
        {
            throw new ArgumentException(validation.FailureMessage, nameof(schemaName));
        }

        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        _schemaName = schemaName;
        _secrets = secrets;
        _tenants = Qualify(schemaName, PostgresTenantRegistrySchema.TenantsTable);
        _tokens = Qualify(schemaName, PostgresTenantRegistrySchema.TokensTable);
    }

    // ---- tenants ------------------------------------------------------------------------------

    private const string TenantColumns = "tenant_id, display_name, plan, status, created_at, updated_at, config::text";

    protected override async Task<TenantRecord?> GetCoreAsync(string tenantId, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var command = Command($"SELECT {TenantColumns} FROM {_tenants} WHERE tenant_id = $1", tenantId);
        await using (command.ConfigureAwait(false))
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadTenant(reader) : null;
            }
        }
    }

    protected override async Task<TenantPage> ListCoreAsync(TenantQuery query, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var where = new List<string>();
        var parameters = new List<object?> { query.Limit + 1 };
        if (query.After is not null)
        {
            parameters.Add(query.After);
            where.Add($"tenant_id > ${parameters.Count}");
        }

        if (query.Status is { } status)
        {
            parameters.Add((short)status);
            where.Add($"status = ${parameters.Count}");
        }
        else
        {
            where.Add($"status <> {(int)TenantStatus.Deleted}");
        }

        if (query.Plan is not null)
        {
            parameters.Add(query.Plan);
            where.Add($"plan = ${parameters.Count}");
        }

        var command = Command($"SELECT {TenantColumns} FROM {_tenants} WHERE {string.Join(" AND ", where)} ORDER BY tenant_id LIMIT $1", [.. parameters]);
        await using (command.ConfigureAwait(false))
        {
            return TenantPages.From(await ReadAllAsync(command, ReadTenant, cancellationToken).ConfigureAwait(false), query.Limit);
        }
    }

    protected override async Task<long> CountCoreAsync(TenantStatus? status, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var command = status is { } value
            ? Command($"SELECT count(*) FROM {_tenants} WHERE status = $1", (short)value)
            : Command($"SELECT count(*) FROM {_tenants} WHERE status <> {(int)TenantStatus.Deleted}");
        await using (command.ConfigureAwait(false))
        {
            return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
    }

    protected override async Task InsertCoreAsync(TenantRecord record, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var command = Command(
            $"INSERT INTO {_tenants} (tenant_id, display_name, plan, status, created_at, updated_at, config) VALUES ($1, $2, $3, $4, COALESCE($5, $6), $6, $7)",
            TenantParameters(record));
        await using (command.ConfigureAwait(false))
        {
            try
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                throw new TenantAlreadyExistsException(record.TenantId);
            }
        }
    }

    protected override async Task<int> UpsertCoreAsync(IReadOnlyList<TenantRecord> records, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var sql =
            $"""
            INSERT INTO {_tenants} AS t (tenant_id, display_name, plan, status, created_at, updated_at, config)
            VALUES ($1, $2, $3, $4, COALESCE($5, $6), $6, $7)
            ON CONFLICT (tenant_id) DO UPDATE SET
                display_name = EXCLUDED.display_name, plan = EXCLUDED.plan, status = EXCLUDED.status,
                created_at = COALESCE($5, t.created_at), updated_at = EXCLUDED.updated_at, config = EXCLUDED.config
            """;
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var written = 0;
                for (var start = 0; start < records.Count; start += UpsertBatchSize)
                {
                    var batch = new NpgsqlBatch(connection, transaction);
                    await using (batch.ConfigureAwait(false))
                    {
                        for (var i = start; i < Math.Min(records.Count, start + UpsertBatchSize); i++)
                        {
                            var command = new NpgsqlBatchCommand(sql);
                            AddParameters(command.Parameters, TenantParameters(records[i]));
                            batch.BatchCommands.Add(command);
                        }

                        written += await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return written;
            }
        }
    }

    protected override async Task<bool> SetStatusCoreAsync(string tenantId, TenantStatus status, DateTimeOffset now, CancellationToken cancellationToken) =>
        await NonQueryAsync($"UPDATE {_tenants} SET status = $1, updated_at = $2 WHERE tenant_id = $3", cancellationToken, (short)status, now, tenantId)
            .ConfigureAwait(false) > 0;

    protected override async Task<bool> PurgeCoreAsync(string tenantId, CancellationToken cancellationToken) =>
        await NonQueryAsync($"DELETE FROM {_tenants} WHERE tenant_id = $1", cancellationToken, tenantId).ConfigureAwait(false) > 0;

    // ---- tokens -------------------------------------------------------------------------------

    private const string TokenColumns = "token_id, tenant_id, name, created_at, expires_at, last_used_at, revoked_at";

    protected override async Task<ResolvedToken?> ResolveCoreAsync(string tokenHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var command = Command(
            $"""
            SELECT k.token_hash, k.tenant_id, k.last_used_at
            FROM {_tokens} k JOIN {_tenants} t ON t.tenant_id = k.tenant_id
            WHERE k.token_hash = $1 AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > $2)
              AND t.status = {(int)TenantStatus.Active}
            """,
            tokenHash, now);
        await using (command.ConfigureAwait(false))
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }

                return new ResolvedToken(reader.GetString(0), reader.GetString(1), OptionalTime(reader, 2));
            }
        }
    }

    protected override Task TouchCoreAsync(string tokenHash, DateTimeOffset now, DateTimeOffset staleBefore, CancellationToken cancellationToken) =>
        NonQueryAsync(
            $"UPDATE {_tokens} SET last_used_at = $1 WHERE token_hash = $2 AND (last_used_at IS NULL OR last_used_at <= $3)",
            cancellationToken, now, tokenHash, staleBefore);

    protected override async Task<TenantTokenInfo> AddTokenCoreAsync(
        string tenantId, string tokenHash, string tokenId, TenantTokenRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);

        // The same hash for the same tenant is reactivated with the request's name and expiry; one of another tenant is left alone (no row).
        var command = Command(
            $"""
            INSERT INTO {_tokens} AS k (token_hash, token_id, tenant_id, name, created_at, expires_at, last_used_at, revoked_at)
            VALUES ($1, $2, $3, $4, $5, $6, NULL, NULL)
            ON CONFLICT (token_hash) DO UPDATE SET name = EXCLUDED.name, expires_at = EXCLUDED.expires_at, revoked_at = NULL
                WHERE k.tenant_id = EXCLUDED.tenant_id
            RETURNING {TokenColumns}
            """,
            tokenHash, tokenId, tenantId, request.Name, now, request.ExpiresAt is { } expires ? expires : new TypedNull(NpgsqlDbType.TimestampTz));
        await using (command.ConfigureAwait(false))
        {
            try
            {
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                        ? ReadToken(reader)
                        : throw new InvalidOperationException("This token is already registered to another tenant.");
                }
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ForeignKeyViolation)
            {
                throw new TenantNotFoundException(tenantId);
            }
        }
    }

    protected override async Task<IReadOnlyList<TenantTokenInfo>> ListTokensCoreAsync(string tenantId, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var command = Command($"SELECT {TokenColumns} FROM {_tokens} WHERE tenant_id = $1 ORDER BY created_at, token_id", tenantId);
        await using (command.ConfigureAwait(false))
        {
            return await ReadAllAsync(command, ReadToken, cancellationToken).ConfigureAwait(false);
        }
    }

    protected override async Task<TenantTokenInfo?> RotateCoreAsync(
        string tenantId, string tokenId, string newHash, string newTokenId, DateTimeOffset now, DateTimeOffset oldExpiresAt, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                string? name;
                var select = new NpgsqlCommand(
                    $"SELECT name FROM {_tokens} WHERE tenant_id = $1 AND token_id = $2 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $3) FOR UPDATE",
                    connection, transaction);
                await using (select.ConfigureAwait(false))
                {
                    AddParameters(select.Parameters, [tenantId, tokenId, now]);
                    name = await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
                }

                if (name is null)
                {
                    return null;
                }

                var update = new NpgsqlCommand(
                    $"UPDATE {_tokens} SET expires_at = LEAST(COALESCE(expires_at, $3), $3) WHERE tenant_id = $1 AND token_id = $2",
                    connection, transaction);
                await using (update.ConfigureAwait(false))
                {
                    AddParameters(update.Parameters, [tenantId, tokenId, oldExpiresAt]);
                    await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                TenantTokenInfo info;
                var insert = new NpgsqlCommand(
                    $"""
                    INSERT INTO {_tokens} (token_hash, token_id, tenant_id, name, created_at, expires_at, last_used_at, revoked_at)
                    VALUES ($1, $2, $3, $4, $5, NULL, NULL, NULL)
                    RETURNING {TokenColumns}
                    """,
                    connection, transaction);
                await using (insert.ConfigureAwait(false))
                {
                    AddParameters(insert.Parameters, [newHash, newTokenId, tenantId, name, now]);
                    var reader = await insert.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                        info = ReadToken(reader);
                    }
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return info;
            }
        }
    }

    protected override Task<int> RevokeCoreAsync(string tenantId, string? tokenId, DateTimeOffset now, CancellationToken cancellationToken) =>
        tokenId is null
            ? NonQueryAsync($"UPDATE {_tokens} SET revoked_at = $1 WHERE tenant_id = $2 AND revoked_at IS NULL", cancellationToken, now, tenantId)
            : NonQueryAsync($"UPDATE {_tokens} SET revoked_at = $1 WHERE tenant_id = $2 AND token_id = $3 AND revoked_at IS NULL", cancellationToken, now, tenantId, tokenId);

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

    // ---- plumbing -----------------------------------------------------------------------------

    /// <summary>Creates or upgrades the tables (once per process), then protects any API key an older version stored in plaintext.</summary>
    public async Task EnsureSchemaAsync(CancellationToken cancellationToken)
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
                    _dataSource, PostgresTenantRegistrySchema.Component, PostgresTenantRegistrySchema.Migrations, _schemaName, Logger, cancellationToken)
                    .ConfigureAwait(false);
                TenantStoreLog.PostgresReady(Logger, _schemaName ?? "(search_path)", result.CurrentVersion);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                TenantStoreLog.PostgresSchemaFailed(Logger, ex);
                throw;
            }

            if (_secrets is not null)
            {
                await ProtectPlaintextKeysAsync(_secrets, cancellationToken).ConfigureAwait(false);
            }

            _schemaReady = true;
        }
        finally
        {
            _schemaGate.Release();
        }
    }

    /// <summary>Rows written before keys were protected: encrypts their key in place (idempotent; concurrent silos write the same kind of value).</summary>
    private async Task ProtectPlaintextKeysAsync(ITenantSecretProtector secrets, CancellationToken cancellationToken)
    {
        List<(string TenantId, string Key)> plaintext;
        var select = Command($"SELECT tenant_id, config ->> 'apiKey' FROM {_tenants} WHERE config ->> 'apiKey' <> '' AND config ->> 'apiKey' NOT LIKE '{TenantSecrets.Prefix}%'");
        await using (select.ConfigureAwait(false))
        {
            plaintext = await ReadAllAsync(select, reader => (reader.GetString(0), reader.GetString(1)), cancellationToken).ConfigureAwait(false);
        }

        foreach (var (tenantId, key) in plaintext)
        {
            // Not NonQueryAsync: that waits for the schema, which this is part of.
            var update = Command(
                $"UPDATE {_tenants} SET config = jsonb_set(config, '{{apiKey}}', to_jsonb($1::text)) WHERE tenant_id = $2 AND config ->> 'apiKey' = $3",
                secrets.Protect(key), tenantId, key);
            await using (update.ConfigureAwait(false))
            {
                await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<int> NonQueryAsync(string sql, CancellationToken cancellationToken, params object?[] parameters)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var command = Command(sql, parameters);
        await using (command.ConfigureAwait(false))
        {
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private NpgsqlCommand Command(string sql, params object?[] parameters)
    {
        var command = _dataSource.CreateCommand(sql);
        AddParameters(command.Parameters, parameters);
        return command;
    }

    private static void AddParameters(NpgsqlParameterCollection collection, object?[] parameters)
    {
        foreach (var value in parameters)
        {
            collection.Add(value switch
            {
                null => new NpgsqlParameter { Value = DBNull.Value },
                DateTimeOffset time => new NpgsqlParameter { Value = time.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz },
                JsonText json => new NpgsqlParameter { Value = json.Text, NpgsqlDbType = NpgsqlDbType.Jsonb },
                TypedNull typed => new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = typed.Type },
                _ => new NpgsqlParameter { Value = value },
            });
        }
    }

    private static object?[] TenantParameters(TenantRecord record) =>
    [
        record.TenantId,
        record.DisplayName,
        record.Plan,
        (short)record.Status,
        record.CreatedAt == default ? new TypedNull(NpgsqlDbType.TimestampTz) : record.CreatedAt,
        record.UpdatedAt,
        new JsonText(TenantConfigJson.Serialize(record.Config)),
    ];

    private static TenantRecord ReadTenant(DbDataReader reader)
    {
        var tenantId = reader.GetString(0);
        return new TenantRecord
        {
            TenantId = tenantId,
            DisplayName = reader.GetString(1),
            Plan = reader.GetString(2),
            Status = (TenantStatus)reader.GetInt16(3),
            CreatedAt = reader.GetFieldValue<DateTimeOffset>(4),
            UpdatedAt = reader.GetFieldValue<DateTimeOffset>(5),
            Config = TenantConfigJson.Deserialize(reader.GetString(6), tenantId),
        };
    }

    private static TenantTokenInfo ReadToken(DbDataReader reader) => new()
    {
        TokenId = reader.GetString(0),
        TenantId = reader.GetString(1),
        Name = reader.GetString(2),
        CreatedAt = reader.GetFieldValue<DateTimeOffset>(3),
        ExpiresAt = OptionalTime(reader, 4),
        LastUsedAt = OptionalTime(reader, 5),
        RevokedAt = OptionalTime(reader, 6),
    };

    private static DateTimeOffset? OptionalTime(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);

    private static NpgsqlDataSource CreateDataSource(IOptions<PostgresTenantRegistryOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var validation = new PostgresTenantRegistryOptionsValidator().Validate(Options.DefaultName, options.Value);
        if (validation.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(PostgresTenantRegistryOptions), validation.Failures ?? []);
        }

        return NpgsqlDataSource.Create(options.Value.ConnectionString);
    }

    private static string Qualify(string? schemaName, string table) =>
        schemaName is null ? Quote(table) : $"{Quote(schemaName)}.{Quote(table)}";

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private sealed record JsonText(string Text);

    private sealed record TypedNull(NpgsqlDbType Type);
}
