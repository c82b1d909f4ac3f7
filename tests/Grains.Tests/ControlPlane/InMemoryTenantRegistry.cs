using OpenClaw.Grains.Interfaces;
using OpenClaw.Grains.Tenants;

namespace OpenClaw.Grains.Tests.ControlPlane;

/// <summary>
/// A test double of the tenant registry (the real SQLite and PostgreSQL ones live with the registry):
/// records with a status, tokens by hash, and the token lookup the edge uses. It also serves as the
/// UserGrain's registry, so a sync's changes reach the grain.
/// Every write can be made to fail, and every write is counted.
/// </summary>
internal sealed class InMemoryTenantRegistry(TimeProvider time) : ITenantRegistry
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (TenantRecord Record, TenantStatus Status)> _tenants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (TenantTokenInfo Info, string Hash)> _tokens = new(StringComparer.Ordinal);

    public int Writes;
    public Exception? WriteFailure { get; set; }

    public TenantStatus? StatusOf(string tenantId)
    {
        lock (_lock) return _tenants.TryGetValue(tenantId, out var t) ? t.Status : null;
    }

    public int TenantCount
    {
        get { lock (_lock) return _tenants.Count; }
    }

    public Task<TenantRecord?> GetAsync(string tenantId, CancellationToken cancellationToken)
    {
        lock (_lock) return Task.FromResult(_tenants.TryGetValue(tenantId, out var t) ? t.Record with { Status = t.Status } : null);
    }

    public Task<TenantPage> ListAsync(TenantQuery query, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var page = _tenants.Values.Where(t => query.After is null || string.CompareOrdinal(t.Record.TenantId, query.After) > 0)
                .OrderBy(t => t.Record.TenantId, StringComparer.Ordinal).Take(query.Limit).Select(t => t.Record).ToList();
            return Task.FromResult(new TenantPage(page, page.Count == query.Limit ? page[^1].TenantId : null));
        }
    }

    public Task<long> CountAsync(TenantStatus? status, CancellationToken cancellationToken)
    {
        lock (_lock) return Task.FromResult((long)_tenants.Values.Count(t => status is null ? t.Status != TenantStatus.Deleted : t.Status == status));
    }

    public Task<TenantRecord> CreateAsync(TenantRecord tenant, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_tenants.ContainsKey(tenant.TenantId)) throw new TenantAlreadyExistsException(tenant.TenantId);
        }

        return UpsertAsync(tenant, cancellationToken);
    }

    public Task<TenantRecord> UpsertAsync(TenantRecord tenant, CancellationToken cancellationToken)
    {
        Write();
        lock (_lock)
        {
            var status = tenant.Status;
            var created = _tenants.TryGetValue(tenant.TenantId, out var old) ? old.Record.CreatedAt : time.GetUtcNow();
            var record = tenant with { CreatedAt = tenant.CreatedAt == default ? created : tenant.CreatedAt };
            _tenants[tenant.TenantId] = (record, status);
            return Task.FromResult(record);
        }
    }

    public async Task<int> UpsertManyAsync(IReadOnlyList<TenantRecord> tenants, CancellationToken cancellationToken)
    {
        Write();
        foreach (var tenant in tenants) await UpsertAsync(tenant, cancellationToken);
        return tenants.Count;
    }

    public Task<bool> SetStatusAsync(string tenantId, TenantStatus status, CancellationToken cancellationToken)
    {
        Write();
        lock (_lock)
        {
            if (!_tenants.TryGetValue(tenantId, out var t)) return Task.FromResult(false);
            _tenants[tenantId] = (t.Record with { Status = status }, status);
            return Task.FromResult(true);
        }
    }

    public Task<bool> PurgeAsync(string tenantId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IssuedTenantToken> IssueTokenAsync(string tenantId, TenantTokenRequest request, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<TenantTokenInfo> AddTokenAsync(string tenantId, string plaintextToken, TenantTokenRequest request, CancellationToken cancellationToken) =>
        AddTokenHashAsync(tenantId, TenantTokens.Hash(plaintextToken), request, cancellationToken);

    public Task<TenantTokenInfo> AddTokenHashAsync(string tenantId, string tokenHash, TenantTokenRequest request, CancellationToken cancellationToken)
    {
        Write();
        lock (_lock)
        {
            if (!_tenants.ContainsKey(tenantId)) throw new TenantNotFoundException(tenantId);
            if (_tokens.TryGetValue(tokenHash, out var existing)) return Task.FromResult(existing.Info);
            var info = new TenantTokenInfo
            {
                TokenId = "tok_" + tokenHash[..12],
                TenantId = tenantId,
                Name = request.Name,
                CreatedAt = time.GetUtcNow(),
                ExpiresAt = request.ExpiresAt,
            };
            _tokens[tokenHash] = (info, tokenHash);
            return Task.FromResult(info);
        }
    }

    public Task<IReadOnlyList<TenantTokenInfo>> ListTokensAsync(string tenantId, CancellationToken cancellationToken)
    {
        lock (_lock) return Task.FromResult<IReadOnlyList<TenantTokenInfo>>(_tokens.Values.Where(t => t.Info.TenantId == tenantId).Select(t => t.Info).ToList());
    }

    public Task<IssuedTenantToken> RotateTokenAsync(string tenantId, string tokenId, TimeSpan overlap, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<bool> RevokeTokenAsync(string tenantId, string tokenId, CancellationToken cancellationToken)
    {
        Write();
        lock (_lock)
        {
            var match = _tokens.Values.FirstOrDefault(t => t.Info.TenantId == tenantId && t.Info.TokenId == tokenId);
            if (match.Info is null || !match.Info.IsValidAt(time.GetUtcNow())) return Task.FromResult(false);
            _tokens[match.Hash] = (match.Info with { RevokedAt = time.GetUtcNow() }, match.Hash);
            return Task.FromResult(true);
        }
    }

    public Task<int> RevokeAllTokensAsync(string tenantId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<string?> FindTenantByTokenAsync(string plaintextToken, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_tokens.TryGetValue(TenantTokens.Hash(plaintextToken), out var token) || !token.Info.IsValidAt(time.GetUtcNow())) return Task.FromResult<string?>(null);
            return Task.FromResult(_tenants.TryGetValue(token.Info.TenantId, out var t) && t.Status == TenantStatus.Active ? token.Info.TenantId : null);
        }
    }

    private void Write()
    {
        Interlocked.Increment(ref Writes);
        if (WriteFailure is { } failure) throw failure;
    }
}
