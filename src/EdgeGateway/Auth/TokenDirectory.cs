using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.EdgeGateway.Auth;

/// <summary>
/// Resolves a tenant token to its tenant id through <see cref="ITenantTokenResolver.FindTenantByTokenAsync"/>,
/// caching answers briefly so that a burst of connects does not hit the store each time.
/// <list type="bullet">
/// <item>Only the SHA-256 of a token is kept; the cache is keyed by that hash, so lookup timing
/// tells nothing about the plaintext, and a hit is confirmed with a constant-time comparison.</item>
/// <item>Known tokens are cached for <see cref="EdgeGatewayOptions.TokenCacheTtlMs"/> (default 5 s,
/// at most 60 s), unknown ones for <see cref="EdgeGatewayOptions.TokenNegativeCacheTtlMs"/>
/// (default 1 s): a revoked token stops working for new connects within the TTL, and open sockets
/// re-check at each subscription renewal.</item>
/// <item>Concurrent lookups of the same token share one store call; failed store calls are not cached.</item>
/// </list>
/// </summary>
internal sealed class TokenDirectory(ITenantTokenResolver store, IOptions<EdgeGatewayOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly EdgeGatewayOptions _options = options.Value;

    /// <summary>The tenant of <paramref name="token"/>, or null when it is unknown, revoked or its tenant is disabled.</summary>
    public async Task<string?> FindTenantAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token)) return null;

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        var key = Convert.ToHexString(hash);
        var now = time.GetTimestamp();

        if (_entries.TryGetValue(key, out var cached) && cached.IsFresh(now) && CryptographicOperations.FixedTimeEquals(cached.TokenHash, hash))
        {
            return await cached.Result.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        var candidate = new Entry(hash);
        var entry = _entries.AddOrUpdate(key, candidate, (_, existing) => existing.IsFresh(now) ? existing : candidate);
        if (ReferenceEquals(entry, candidate))
        {
            TrimIfNeeded(now);
            _ = LoadAsync(key, candidate, token);
        }
        return await entry.Result.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Forgets the cached answer for <paramref name="token"/>, so that the next lookup asks the store.</summary>
    public void Forget(string? token)
    {
        if (string.IsNullOrEmpty(token)) return;
        _entries.TryRemove(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token))), out _);
    }

    /// <summary>Forgets every cached answer (for example after a bulk revocation).</summary>
    public void Clear() => _entries.Clear();

    internal int CachedCount => _entries.Count;

    private async Task LoadAsync(string key, Entry entry, string token)
    {
        try
        {
            // Shared by every waiter, so it is not bound to one caller's cancellation.
            var tenantId = await store.FindTenantByTokenAsync(token, CancellationToken.None).ConfigureAwait(false);
            var ttlMs = tenantId is null ? _options.TokenNegativeCacheTtlMs : _options.TokenCacheTtlMs;
            entry.ExpireAt(time.GetTimestamp() + (long)(ttlMs / 1000.0 * time.TimestampFrequency));
            entry.Result.TrySetResult(tenantId);
            if (ttlMs == 0) _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
        }
        catch (Exception ex)
        {
            _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
            entry.Result.TrySetException(ex);
        }
    }

    private void TrimIfNeeded(long now)
    {
        if (_entries.Count <= _options.TokenCacheMaxEntries) return;
        foreach (var (key, entry) in _entries)
        {
            if (entry.Result.Task.IsCompleted && !entry.IsFresh(now)) _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
        }
        if (_entries.Count > _options.TokenCacheMaxEntries)
        {
            foreach (var (key, entry) in _entries)
            {
                if (entry.Result.Task.IsCompleted) _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
            }
        }
    }

    private sealed class Entry(byte[] tokenHash)
    {
        private long _expiresAt = long.MaxValue;

        public byte[] TokenHash { get; } = tokenHash;

        public TaskCompletionSource<string?> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Sets the <see cref="TimeProvider.GetTimestamp"/> value after which the answer is stale (never while loading).</summary>
        public void ExpireAt(long timestamp) => Volatile.Write(ref _expiresAt, timestamp);

        public bool IsFresh(long now) => !Result.Task.IsFaulted && now < Volatile.Read(ref _expiresAt);
    }
}
