using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Grains.Secrets;
using OpenClaw.Runtime;

namespace OpenClaw.Grains.Tenants;

/// <summary>
/// The embedded tenant registry (zero-setup default, one silo): an SQLite database in WAL mode at
/// <c>&lt;data dir&gt;/tenants/registry.db</c>, file 0600 in a 0700 directory. Tenants and tokens
/// are indexed rows (tenant id, token hash, status and plan), so each single-tenant operation is
/// one B-tree lookup whatever the registry's size. Opened on first use: the schema is created or
/// migrated, and an old file store found next to it (<see cref="LegacyTenantFile"/>) is imported.
/// </summary>
public sealed class SqliteTenantRegistry : TenantRegistryBase, IDisposable
{
    private const int SqliteConstraint = 19;

    private readonly string _directory;
    private readonly string _connectionString;
    /// <summary>True inside <see cref="OpenAsync"/>'s legacy import, whose own calls must not wait for the open to finish.</summary>
    private static readonly AsyncLocal<bool> Opening = new();

    private readonly SemaphoreSlim _openGate = new(1, 1);
    private volatile bool _opened;

    public SqliteTenantRegistry(
        IOptions<SqliteTenantRegistryOptions> options,
        ITenantSecretProtector? secrets,
        ILogger<SqliteTenantRegistry>? logger = null,
        TimeProvider? timeProvider = null)
        : base(secrets, timeProvider, Validated(options).Value.LastUsedResolution, logger ?? (ILogger)NullLogger.Instance)
    {
        var value = options.Value;
        _directory = Path.GetFullPath(value.Directory);
        FilePath = Path.Join(_directory, value.FileName);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>The database file.</summary>
    public string FilePath { get; }

    /// <summary>Opens the database now (schema, permissions, legacy import) instead of on first use.</summary>
    /// <exception cref="TenantStoreFileException">An old file store is there and cannot be read.</exception>
    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        if (_opened)
        {
            return;
        }

        await _openGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_opened)
            {
                return;
            }

            OwnerOnlyPaths.CreateDirectory(_directory);
            if (!File.Exists(FilePath))
            {
                // Created 0600 before SQLite opens it; SQLite gives its -wal and -shm files the same mode.
                new FileStream(FilePath, OwnerOnlyPaths.ForNewFile(new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write })).Dispose();
            }

            foreach (var path in new[] { _directory, FilePath, FilePath + "-wal", FilePath + "-shm" })
            {
                if (File.Exists(path) || Directory.Exists(path))
                {
                    if (!OwnerOnlyPaths.TryRestrict(path, out var problem))
                    {
                        TenantStoreLog.NotRestricted(Logger, path, problem!);
                    }
                }
            }

            var connection = new SqliteConnection(_connectionString);
            await using (connection.ConfigureAwait(false))
            {
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);
                var version = await MigrateAsync(connection, cancellationToken).ConfigureAwait(false);
                TenantStoreLog.SqliteOpened(Logger, FilePath, version);
            }

            Opening.Value = true;
            try
            {
                await LegacyTenantFile.ImportIfPresentAsync(this, _directory, Logger, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Opening.Value = false;
            }

            _opened = true;
        }
        finally
        {
            _openGate.Release();
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _openGate.Dispose();
    }

    // ---- tenants ------------------------------------------------------------------------------

    private const string TenantColumns = "tenant_id, display_name, plan, status, created_at, updated_at, config";

    protected override async Task<TenantRecord?> GetCoreAsync(string tenantId, CancellationToken cancellationToken)
    {
        var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = Command(connection, null, $"SELECT {TenantColumns} FROM tenants WHERE tenant_id = $id", ("$id", tenantId));
            await using (command.ConfigureAwait(false))
            {
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadTenant(reader) : null;
                }
            }
        }
    }

    protected override async Task<TenantPage> ListCoreAsync(TenantQuery query, CancellationToken cancellationToken)
    {
        var where = new List<string>();
        var parameters = new List<(string, object?)> { ("$limit", query.Limit + 1) };
        if (query.After is not null)
        {
            where.Add("tenant_id > $after");
            parameters.Add(("$after", query.After));
        }

        if (query.Status is { } status)
        {
            where.Add("status = $status");
            parameters.Add(("$status", (int)status));
        }
        else
        {
            where.Add($"status <> {(int)TenantStatus.Deleted}");
        }

        if (query.Plan is not null)
        {
            where.Add("plan = $plan");
            parameters.Add(("$plan", query.Plan));
        }

        var sql = $"SELECT {TenantColumns} FROM tenants WHERE {string.Join(" AND ", where)} ORDER BY tenant_id LIMIT $limit";
        var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = Command(connection, null, sql, [.. parameters]);
            await using (command.ConfigureAwait(false))
            {
                return TenantPages.From(await ReadAllAsync(command, ReadTenant, cancellationToken).ConfigureAwait(false), query.Limit);
            }
        }
    }

    protected override async Task<long> CountCoreAsync(TenantStatus? status, CancellationToken cancellationToken)
    {
        var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = status is { } value
                ? Command(connection, null, "SELECT count(*) FROM tenants WHERE status = $status", ("$status", (int)value))
                : Command(connection, null, $"SELECT count(*) FROM tenants WHERE status <> {(int)TenantStatus.Deleted}");
            await using (command.ConfigureAwait(false))
            {
                return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            }
        }
    }

    protected override async Task InsertCoreAsync(TenantRecord record, CancellationToken cancellationToken)
    {
        var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = Command(connection, null,
                $"INSERT INTO tenants ({TenantColumns}) VALUES ($id, $name, $plan, $status, $created, $updated, $config)",
                TenantParameters(record));
            await using (command.ConfigureAwait(false))
            {
                try
                {
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteConstraint)
                {
                    throw new TenantAlreadyExistsException(record.TenantId);
                }
            }
        }
    }

    protected override async Task<int> UpsertCoreAsync(IReadOnlyList<TenantRecord> records, CancellationToken cancellationToken)
    {
        var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var command = Command(connection, transaction,
                    $"""
                    INSERT INTO tenants ({TenantColumns}) VALUES ($id, $name, $plan, $status, COALESCE($created, $updated), $updated, $config)
                    ON CONFLICT (tenant_id) DO UPDATE SET
                        display_name = excluded.display_name, plan = excluded.plan, status = excluded.status,
                        created_at = COALESCE($created, tenants.created_at), updated_at = excluded.updated_at, config = excluded.config
                    """,
                    TenantParameters(records[0]));
                await using (command.ConfigureAwait(false))
                {
                    command.Prepare();
                    var written = 0;
                    foreach (var record in records)
                    {
                        foreach (var (name, value) in TenantParameters(record))
                        {
                            command.Parameters[name].Value = value ?? DBNull.Value;
                        }

                        written += await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }

                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    return written;
                }
            }
        }
    }

    protected override async Task<bool> SetStatusCoreAsync(string tenantId, TenantStatus status, DateTimeOffset now, CancellationToken cancellationToken) =>
        await NonQueryAsync(
            "UPDATE tenants SET status = $status, updated_at = $now WHERE tenant_id = $id",
            cancellationToken, ("$status", (int)status), ("$now", Ticks(now)), ("$id", tenantId)).ConfigureAwait(false) > 0;

    protected override async Task<bool> PurgeCoreAsync(string tenantId, CancellationToken cancellationToken) =>
        await NonQueryAsync("DELETE FROM tenants WHERE tenant_id = $id", cancellationToken, ("$id", tenantId)).ConfigureAwait(false) > 0;

    // ---- tokens -------------------------------------------------------------------------------

    private const string TokenColumns = "token_id, tenant_id, name, created_at, expires_at, last_used_at, revoked_at";

    protected override async Task<ResolvedToken?> ResolveCoreAsync(string tokenHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = Command(connection, null,
                $"""
                SELECT k.token_hash, k.tenant_id, k.last_used_at
                FROM tenant_tokens k JOIN tenants t ON t.tenant_id = k.tenant_id
                WHERE k.token_hash = $hash AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > $now)
                  AND t.status = {(int)TenantStatus.Active}
                """,
                ("$hash", tokenHash), ("$now", Ticks(now)));
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
    }

    protected override Task TouchCoreAsync(string tokenHash, DateTimeOffset now, DateTimeOffset staleBefore, CancellationToken cancellationToken) =>
        NonQueryAsync(
            "UPDATE tenant_tokens SET last_used_at = $now WHERE token_hash = $hash AND (last_used_at IS NULL OR last_used_at <= $stale)",
            cancellationToken, ("$now", Ticks(now)), ("$hash", tokenHash), ("$stale", Ticks(staleBefore)));

    protected override async Task<TenantTokenInfo> AddTokenCoreAsync(
        string tenantId, string tokenHash, string tokenId, TenantTokenRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                if (await ScalarAsync(connection, transaction, "SELECT 1 FROM tenants WHERE tenant_id = $id", cancellationToken, ("$id", tenantId)).ConfigureAwait(false) is null)
                {
                    throw new TenantNotFoundException(tenantId);
                }

                var owner = await ScalarAsync(connection, transaction, "SELECT tenant_id FROM tenant_tokens WHERE token_hash = $hash", cancellationToken, ("$hash", tokenHash))
                    .ConfigureAwait(false) as string;
                if (owner is not null && !string.Equals(owner, tenantId, StringComparison.Ordinal))
                {
                    throw new InvalidOperationException("This token is already registered to another tenant.");
                }

                var sql = owner is null
                    ? """
                      INSERT INTO tenant_tokens (token_hash, token_id, tenant_id, name, created_at, expires_at, last_used_at, revoked_at)
                      VALUES ($hash, $tokenId, $tenant, $name, $now, $expires, NULL, NULL)
                      """
                    : "UPDATE tenant_tokens SET name = $name, expires_at = $expires, revoked_at = NULL WHERE token_hash = $hash AND tenant_id = $tenant AND token_id = $tokenId";
                await ExecuteAsync(connection, transaction, sql, cancellationToken,
                    ("$hash", tokenHash), ("$tokenId", tokenId), ("$tenant", tenantId), ("$name", request.Name), ("$now", Ticks(now)),
                    ("$expires", request.ExpiresAt is { } expires ? Ticks(expires) : null)).ConfigureAwait(false);
                var info = await ReadTokenAsync(connection, transaction, tenantId, tokenId, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return info!;
            }
        }
    }

    protected override async Task<IReadOnlyList<TenantTokenInfo>> ListTokensCoreAsync(string tenantId, CancellationToken cancellationToken)
    {
        var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = Command(connection, null, $"SELECT {TokenColumns} FROM tenant_tokens WHERE tenant_id = $tenant ORDER BY created_at, token_id", ("$tenant", tenantId));
            await using (command.ConfigureAwait(false))
            {
                return await ReadAllAsync(command, ReadToken, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    protected override async Task<TenantTokenInfo?> RotateCoreAsync(
        string tenantId, string tokenId, string newHash, string newTokenId, DateTimeOffset now, DateTimeOffset oldExpiresAt, CancellationToken cancellationToken)
    {
        var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var old = await ReadTokenAsync(connection, transaction, tenantId, tokenId, cancellationToken).ConfigureAwait(false);
                if (old is null || !old.IsValidAt(now))
                {
                    return null;
                }

                await ExecuteAsync(connection, transaction,
                    """
                    INSERT INTO tenant_tokens (token_hash, token_id, tenant_id, name, created_at, expires_at, last_used_at, revoked_at)
                    VALUES ($hash, $tokenId, $tenant, $name, $now, NULL, NULL, NULL)
                    """,
                    cancellationToken, ("$hash", newHash), ("$tokenId", newTokenId), ("$tenant", tenantId), ("$name", old.Name), ("$now", Ticks(now))).ConfigureAwait(false);
                await ExecuteAsync(connection, transaction,
                    "UPDATE tenant_tokens SET expires_at = min(coalesce(expires_at, $expires), $expires) WHERE tenant_id = $tenant AND token_id = $tokenId",
                    cancellationToken, ("$expires", Ticks(oldExpiresAt)), ("$tenant", tenantId), ("$tokenId", tokenId)).ConfigureAwait(false);
                var info = await ReadTokenAsync(connection, transaction, tenantId, newTokenId, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return info;
            }
        }
    }

    protected override Task<int> RevokeCoreAsync(string tenantId, string? tokenId, DateTimeOffset now, CancellationToken cancellationToken) =>
        tokenId is null
            ? NonQueryAsync("UPDATE tenant_tokens SET revoked_at = $now WHERE tenant_id = $tenant AND revoked_at IS NULL",
                cancellationToken, ("$now", Ticks(now)), ("$tenant", tenantId))
            : NonQueryAsync("UPDATE tenant_tokens SET revoked_at = $now WHERE tenant_id = $tenant AND token_id = $tokenId AND revoked_at IS NULL",
                cancellationToken, ("$now", Ticks(now)), ("$tenant", tenantId), ("$tokenId", tokenId));

    // ---- plumbing -----------------------------------------------------------------------------

    private async Task<SqliteConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        if (!_opened && !Opening.Value)
        {
            await OpenAsync(cancellationToken).ConfigureAwait(false);
        }

        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);

            // WAL + NORMAL: a commit survives the process crashing, not necessarily the machine losing power; no fsync per write.
            await ExecuteAsync(connection, null, "PRAGMA synchronous = NORMAL", cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task<int> MigrateAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var version = Convert.ToInt32(await ScalarAsync(connection, null, "PRAGMA user_version", cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        var scripts = SqliteTenantRegistrySchema.Migrations;
        if (version > scripts.Count)
        {
            throw new TenantStoreFileException(FilePath,
                $"has schema version {version}; this build knows up to version {scripts.Count} (run the newer build, or restore an older file)");
        }

        for (var next = version + 1; next <= scripts.Count; next++)
        {
            var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await ExecuteAsync(connection, transaction, scripts[next - 1], cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(connection, transaction, $"PRAGMA user_version = {next}", cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        return scripts.Count;
    }

    private async Task<int> NonQueryAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await ExecuteAsync(connection, null, sql, cancellationToken, parameters).ConfigureAwait(false);
        }
    }

    private static async Task<int> ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        var command = Command(connection, transaction, sql, parameters);
        await using (command.ConfigureAwait(false))
        {
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        var command = Command(connection, transaction, sql, parameters);
        await using (command.ConfigureAwait(false))
        {
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private static async Task<TenantTokenInfo?> ReadTokenAsync(SqliteConnection connection, SqliteTransaction transaction, string tenantId, string tokenId, CancellationToken cancellationToken)
    {
        var command = Command(connection, transaction, $"SELECT {TokenColumns} FROM tenant_tokens WHERE tenant_id = $tenant AND token_id = $tokenId",
            ("$tenant", tenantId), ("$tokenId", tokenId));
        await using (command.ConfigureAwait(false))
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadToken(reader) : null;
            }
        }
    }

    private static (string, object?)[] TenantParameters(TenantRecord record) =>
    [
        ("$id", record.TenantId),
        ("$name", record.DisplayName),
        ("$plan", record.Plan),
        ("$status", (int)record.Status),
        ("$created", record.CreatedAt == default ? null : Ticks(record.CreatedAt)),
        ("$updated", Ticks(record.UpdatedAt)),
        ("$config", TenantConfigJson.Serialize(record.Config)),
    ];

    private static TenantRecord ReadTenant(DbDataReader reader)
    {
        var tenantId = reader.GetString(0);
        return new TenantRecord
        {
            TenantId = tenantId,
            DisplayName = reader.GetString(1),
            Plan = reader.GetString(2),
            Status = (TenantStatus)reader.GetInt32(3),
            CreatedAt = FromTicks(reader.GetInt64(4)),
            UpdatedAt = FromTicks(reader.GetInt64(5)),
            Config = TenantConfigJson.Deserialize(reader.GetString(6), tenantId),
        };
    }

    private static TenantTokenInfo ReadToken(DbDataReader reader) => new()
    {
        TokenId = reader.GetString(0),
        TenantId = reader.GetString(1),
        Name = reader.GetString(2),
        CreatedAt = FromTicks(reader.GetInt64(3)),
        ExpiresAt = OptionalTime(reader, 4),
        LastUsedAt = OptionalTime(reader, 5),
        RevokedAt = OptionalTime(reader, 6),
    };

    private static long Ticks(DateTimeOffset time) => time.UtcTicks;

    private static DateTimeOffset FromTicks(long ticks) => new(ticks, TimeSpan.Zero);

    private static DateTimeOffset? OptionalTime(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : FromTicks(reader.GetInt64(ordinal));

    private static IOptions<SqliteTenantRegistryOptions> Validated(IOptions<SqliteTenantRegistryOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var validation = new SqliteTenantRegistryOptionsValidator().Validate(Options.DefaultName, options.Value);
        if (validation.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(SqliteTenantRegistryOptions), validation.Failures ?? []);
        }

        return options;
    }
}
