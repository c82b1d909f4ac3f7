using System.Collections.Concurrent;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.EdgeGateway.Tests.Fakes;

/// <summary>The edge's view of the tenant registry in memory: tokens map to tenants; lookups are counted and can be made to fail.</summary>
internal sealed class InMemoryTenantStore : ITenantTokenResolver
{
    private readonly ConcurrentDictionary<string, TenantRecord> _tenants = new();
    private readonly ConcurrentDictionary<string, string> _tenantByToken = new();
    private int _lookups;

    public int Lookups => Volatile.Read(ref _lookups);

    /// <summary>When set, <see cref="FindTenantByTokenAsync"/> throws it (the store is down).</summary>
    public Exception? LookupFailure { get; set; }

    public InMemoryTenantStore Add(string tenantId, string token)
    {
        _tenants.TryAdd(tenantId, new TenantRecord { TenantId = tenantId, CreatedAt = DateTimeOffset.UtcNow });
        _tenantByToken[token] = tenantId;
        return this;
    }

    public Task AddTokenAsync(string tenantId, string plaintextToken, CancellationToken cancellationToken)
    {
        _tenantByToken[plaintextToken] = tenantId;
        return Task.CompletedTask;
    }

    public Task<int> RevokeTokensAsync(string tenantId, string? plaintextToken, CancellationToken cancellationToken)
    {
        var revoked = 0;
        foreach (var (token, owner) in _tenantByToken)
        {
            if (owner != tenantId || (plaintextToken is not null && token != plaintextToken)) continue;
            if (_tenantByToken.TryRemove(token, out _)) revoked++;
        }
        return Task.FromResult(revoked);
    }

    public Task<string?> FindTenantByTokenAsync(string plaintextToken, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _lookups);
        if (LookupFailure is { } failure) return Task.FromException<string?>(failure);
        return Task.FromResult(_tenantByToken.TryGetValue(plaintextToken, out var tenantId) ? tenantId : null);
    }
}
