using Microsoft.Extensions.Logging;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Grains.Secrets;

namespace OpenClaw.Grains.Tenants;

/// <summary>
/// What both registries share, so each store only runs statements: ids and tokens are validated,
/// tokens hashed before any store sees them, API keys protected before any store writes them,
/// and a token's last use recorded coarsely (at most once per <see cref="LastUsedResolution"/>
/// per token, by a conditional update, never a write per lookup).
/// </summary>
public abstract class TenantRegistryBase : ITenantRegistry
{
    private readonly ITenantSecretProtector? _secrets;

    protected TenantRegistryBase(ITenantSecretProtector? secrets, TimeProvider? timeProvider, TimeSpan lastUsedResolution, ILogger logger)
    {
        _secrets = secrets;
        Time = timeProvider ?? TimeProvider.System;
        LastUsedResolution = lastUsedResolution;
        Logger = logger;
    }

    protected TimeProvider Time { get; }

    /// <summary>The clock's time in whole microseconds (what PostgreSQL keeps), so records round-trip exactly in both stores.</summary>
    protected DateTimeOffset Now()
    {
        var ticks = Time.GetUtcNow().UtcTicks;
        return new DateTimeOffset(ticks - (ticks % 10), TimeSpan.Zero);
    }

    protected ILogger Logger { get; }

    /// <summary>How stale a token's <see cref="TenantTokenInfo.LastUsedAt"/> may get before a lookup writes it again.</summary>
    public TimeSpan LastUsedResolution { get; }

    // ---- tenants ------------------------------------------------------------------------------

    public Task<TenantRecord?> GetAsync(string tenantId, CancellationToken cancellationToken)
    {
        TenantIds.Validate(tenantId);
        return GetCoreAsync(tenantId, cancellationToken);
    }

    public Task<TenantPage> ListAsync(TenantQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Limit is < 1 or > TenantQuery.MaxLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.Limit, $"TenantQuery.Limit must be 1-{TenantQuery.MaxLimit}.");
        }

        if (query.After is { } after && !TenantIds.IsValid(after))
        {
            throw new ArgumentException("TenantQuery.After is not a tenant id.", nameof(query));
        }

        return ListCoreAsync(query, cancellationToken);
    }

    public Task<long> CountAsync(TenantStatus? status, CancellationToken cancellationToken) => CountCoreAsync(status, cancellationToken);

    public async Task<TenantRecord> CreateAsync(TenantRecord tenant, CancellationToken cancellationToken)
    {
        var record = Prepare(tenant);
        record = record with { CreatedAt = record.CreatedAt == default ? record.UpdatedAt : record.CreatedAt };
        await InsertCoreAsync(record, cancellationToken).ConfigureAwait(false);
        TenantStoreLog.TenantSaved(Logger, record.TenantId);
        return record;
    }

    public async Task<TenantRecord> UpsertAsync(TenantRecord tenant, CancellationToken cancellationToken)
    {
        var record = Prepare(tenant);
        await UpsertCoreAsync([record], cancellationToken).ConfigureAwait(false);
        TenantStoreLog.TenantSaved(Logger, record.TenantId);
        return await GetCoreAsync(record.TenantId, cancellationToken).ConfigureAwait(false) ?? record;
    }

    public async Task<int> UpsertManyAsync(IReadOnlyList<TenantRecord> tenants, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenants);
        if (tenants.Count == 0)
        {
            return 0;
        }

        var records = new TenantRecord[tenants.Count];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < tenants.Count; i++)
        {
            records[i] = Prepare(tenants[i]);
            if (!seen.Add(records[i].TenantId))
            {
                throw new ArgumentException($"Tenant '{records[i].TenantId}' appears twice in one batch.", nameof(tenants));
            }
        }

        var written = await UpsertCoreAsync(records, cancellationToken).ConfigureAwait(false);
        TenantStoreLog.TenantsSaved(Logger, written);
        return written;
    }

    public async Task<bool> SetStatusAsync(string tenantId, TenantStatus status, CancellationToken cancellationToken)
    {
        TenantIds.Validate(tenantId);
        if (!Enum.IsDefined(status))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown tenant status.");
        }

        var changed = await SetStatusCoreAsync(tenantId, status, Now(), cancellationToken).ConfigureAwait(false);
        if (changed)
        {
            TenantStoreLog.StatusSet(Logger, tenantId, status);
        }

        return changed;
    }

    public async Task<bool> PurgeAsync(string tenantId, CancellationToken cancellationToken)
    {
        TenantIds.Validate(tenantId);
        var purged = await PurgeCoreAsync(tenantId, cancellationToken).ConfigureAwait(false);
        if (purged)
        {
            TenantStoreLog.TenantPurged(Logger, tenantId);
        }

        return purged;
    }

    // ---- tokens -------------------------------------------------------------------------------

    public async Task<string?> FindTenantByTokenAsync(string plaintextToken, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(plaintextToken) || plaintextToken.Length > TenantTokens.MaxLength)
        {
            return null;
        }

        var hash = TenantTokens.Hash(plaintextToken);
        var now = Now();
        var match = await ResolveCoreAsync(hash, now, cancellationToken).ConfigureAwait(false);
        if (match is not { } found || !TenantTokens.HashesEqual(found.TokenHash, hash))
        {
            return null;
        }

        if (found.LastUsedAt is null || now - found.LastUsedAt.Value >= LastUsedResolution)
        {
            try
            {
                await TouchCoreAsync(hash, now, now - LastUsedResolution, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Bookkeeping only: a failed write must not turn a valid token away.
                TenantStoreLog.LastUsedFailed(Logger, found.TenantId, ex);
            }
        }

        return found.TenantId;
    }

    public async Task<IssuedTenantToken> IssueTokenAsync(string tenantId, TenantTokenRequest request, CancellationToken cancellationToken)
    {
        TenantIds.Validate(tenantId);
        ValidateRequest(request);
        var plaintext = TenantTokens.Issue();
        var info = await AddTokenHashCoreAsync(tenantId, TenantTokens.Hash(plaintext), request, cancellationToken).ConfigureAwait(false);
        return new IssuedTenantToken(info, plaintext);
    }

    public Task<TenantTokenInfo> AddTokenAsync(string tenantId, string plaintextToken, TenantTokenRequest request, CancellationToken cancellationToken)
    {
        TenantIds.Validate(tenantId);
        TenantTokens.ValidateForRegistration(plaintextToken, nameof(plaintextToken));
        ValidateRequest(request);
        return AddTokenHashCoreAsync(tenantId, TenantTokens.Hash(plaintextToken), request, cancellationToken);
    }

    public Task<TenantTokenInfo> AddTokenHashAsync(string tenantId, string tokenHash, TenantTokenRequest request, CancellationToken cancellationToken)
    {
        TenantIds.Validate(tenantId);
        if (!TenantTokens.IsHash(tokenHash))
        {
            throw new ArgumentException("A token hash is 64 lowercase hex characters (SHA-256 of the token's UTF-8 text).", nameof(tokenHash));
        }

        ValidateRequest(request);
        return AddTokenHashCoreAsync(tenantId, tokenHash, request, cancellationToken);
    }

    public Task<IReadOnlyList<TenantTokenInfo>> ListTokensAsync(string tenantId, CancellationToken cancellationToken)
    {
        TenantIds.Validate(tenantId);
        return ListTokensCoreAsync(tenantId, cancellationToken);
    }

    public async Task<IssuedTenantToken> RotateTokenAsync(string tenantId, string tokenId, TimeSpan overlap, CancellationToken cancellationToken)
    {
        TenantIds.Validate(tenantId);
        ValidateTokenId(tokenId);
        if (overlap < TimeSpan.Zero || overlap > TenantTokens.MaxRotationOverlap)
        {
            throw new ArgumentOutOfRangeException(nameof(overlap), overlap, $"The overlap must be between 0 and {TenantTokens.MaxRotationOverlap}.");
        }

        var plaintext = TenantTokens.Issue();
        var hash = TenantTokens.Hash(plaintext);
        var now = Now();
        var info = await RotateCoreAsync(tenantId, tokenId, hash, TenantTokens.IdOf(hash), now, now + overlap, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Tenant '{tenantId}' has no active token '{tokenId}'.");
        TenantStoreLog.TokenRotated(Logger, tenantId, tokenId, info.TokenId);
        return new IssuedTenantToken(info, plaintext);
    }

    public async Task<bool> RevokeTokenAsync(string tenantId, string tokenId, CancellationToken cancellationToken)
    {
        TenantIds.Validate(tenantId);
        ValidateTokenId(tokenId);
        var revoked = await RevokeCoreAsync(tenantId, tokenId, Now(), cancellationToken).ConfigureAwait(false);
        if (revoked > 0)
        {
            TenantStoreLog.TokensRevoked(Logger, tenantId, revoked);
        }

        return revoked > 0;
    }

    public async Task<int> RevokeAllTokensAsync(string tenantId, CancellationToken cancellationToken)
    {
        TenantIds.Validate(tenantId);
        var revoked = await RevokeCoreAsync(tenantId, tokenId: null, Now(), cancellationToken).ConfigureAwait(false);
        if (revoked > 0)
        {
            TenantStoreLog.TokensRevoked(Logger, tenantId, revoked);
        }

        return revoked;
    }

    private async Task<TenantTokenInfo> AddTokenHashCoreAsync(string tenantId, string hash, TenantTokenRequest request, CancellationToken cancellationToken)
    {
        var info = await AddTokenCoreAsync(tenantId, hash, TenantTokens.IdOf(hash), request, Now(), cancellationToken).ConfigureAwait(false);
        TenantStoreLog.TokenAdded(Logger, tenantId, info.TokenId);
        return info;
    }

    // ---- helpers ------------------------------------------------------------------------------

    /// <summary>Validates and normalizes a record for writing: default plan/config, <see cref="TenantRecord.UpdatedAt"/> now, API key protected.</summary>
    private TenantRecord Prepare(TenantRecord tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        TenantIds.Validate(tenant.TenantId, nameof(tenant));
        if (!Enum.IsDefined(tenant.Status))
        {
            throw new ArgumentException($"Tenant '{tenant.TenantId}' has an unknown status.", nameof(tenant));
        }

        var record = TenantRecords.Normalize(tenant, Now());
        if (record.Config.ApiKey is { Length: > 0 } key && !TenantSecrets.IsProtected(key))
        {
            var secrets = _secrets ?? throw new InvalidOperationException(
                "This tenant registry has no secret protector, so it cannot store an API key (a read-only resolver?).");
            record = record with { Config = record.Config with { ApiKey = secrets.Protect(key) } };
        }

        return record;
    }

    private static void ValidateRequest(TenantTokenRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > TenantTokens.MaxNameLength || request.Name.Any(char.IsControl))
        {
            throw new ArgumentException($"A token name is 1-{TenantTokens.MaxNameLength} characters without control characters.", nameof(request));
        }
    }

    private static void ValidateTokenId(string tokenId)
    {
        if (!TenantTokens.IsTokenId(tokenId))
        {
            throw new ArgumentException("Not a token id (tok_ + 16 hex characters).", nameof(tokenId));
        }
    }

    // ---- what each store implements -----------------------------------------------------------

    protected abstract Task<TenantRecord?> GetCoreAsync(string tenantId, CancellationToken cancellationToken);

    protected abstract Task<TenantPage> ListCoreAsync(TenantQuery query, CancellationToken cancellationToken);

    protected abstract Task<long> CountCoreAsync(TenantStatus? status, CancellationToken cancellationToken);

    /// <summary>Inserts a new row; throws <see cref="TenantAlreadyExistsException"/> when the id is taken.</summary>
    protected abstract Task InsertCoreAsync(TenantRecord record, CancellationToken cancellationToken);

    /// <summary>
    /// Inserts or replaces the rows in one transaction (tokens untouched). A record whose
    /// <see cref="TenantRecord.CreatedAt"/> is unset keeps an existing row's value (a new row gets
    /// <see cref="TenantRecord.UpdatedAt"/>). Returns how many rows were written.
    /// </summary>
    protected abstract Task<int> UpsertCoreAsync(IReadOnlyList<TenantRecord> records, CancellationToken cancellationToken);

    protected abstract Task<bool> SetStatusCoreAsync(string tenantId, TenantStatus status, DateTimeOffset now, CancellationToken cancellationToken);

    protected abstract Task<bool> PurgeCoreAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>The active tenant holding a valid (unrevoked, unexpired at <paramref name="now"/>) token with this hash.</summary>
    protected abstract Task<ResolvedToken?> ResolveCoreAsync(string tokenHash, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Sets the token's last use to <paramref name="now"/> when it is unset or not after <paramref name="staleBefore"/>.</summary>
    protected abstract Task TouchCoreAsync(string tokenHash, DateTimeOffset now, DateTimeOffset staleBefore, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a token for an existing tenant (else <see cref="TenantNotFoundException"/>). The same hash
    /// for the same tenant is reactivated with the request's name and expiry; for another tenant it is refused.
    /// </summary>
    protected abstract Task<TenantTokenInfo> AddTokenCoreAsync(
        string tenantId, string tokenHash, string tokenId, TenantTokenRequest request, DateTimeOffset now, CancellationToken cancellationToken);

    protected abstract Task<IReadOnlyList<TenantTokenInfo>> ListTokensCoreAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>
    /// In one transaction: finds the tenant's active token <paramref name="tokenId"/> (null when none),
    /// inserts the new one with its name and sets the old one's expiry to the earlier of its own and
    /// <paramref name="oldExpiresAt"/>.
    /// </summary>
    protected abstract Task<TenantTokenInfo?> RotateCoreAsync(
        string tenantId, string tokenId, string newHash, string newTokenId, DateTimeOffset now, DateTimeOffset oldExpiresAt, CancellationToken cancellationToken);

    /// <summary>Revokes the tenant's active token <paramref name="tokenId"/>, or all when null; returns how many.</summary>
    protected abstract Task<int> RevokeCoreAsync(string tenantId, string? tokenId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>A token that resolved: its hash (compared again in constant time), tenant and last recorded use.</summary>
    protected readonly record struct ResolvedToken(string TokenHash, string TenantId, DateTimeOffset? LastUsedAt);

    /// <summary>Runs <paramref name="command"/> and reads every row with <paramref name="read"/> (both stores' queries end here).</summary>
    protected static async Task<List<T>> ReadAllAsync<T>(System.Data.Common.DbCommand command, Func<System.Data.Common.DbDataReader, T> read, CancellationToken cancellationToken)
    {
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            var rows = new List<T>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add(read(reader));
            }

            return rows;
        }
    }
}
