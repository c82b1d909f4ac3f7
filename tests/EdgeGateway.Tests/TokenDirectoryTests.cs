using Microsoft.Extensions.Options;
using OpenClaw.EdgeGateway.Auth;
using OpenClaw.EdgeGateway.Tests.Fakes;

namespace OpenClaw.EdgeGateway.Tests;

/// <summary>The token cache: hits, TTLs (revocation bound), negative answers, failures, single flight.</summary>
public sealed class TokenDirectoryTests
{
    private readonly InMemoryTenantStore _store = new InMemoryTenantStore().Add("t1", "tok-1");
    private readonly ShiftableTimeProvider _time = new();

    private TokenDirectory Create(int ttlMs = 5000, int negativeTtlMs = 1000, int maxEntries = 100) =>
        new(_store, Options.Create(new EdgeGatewayOptions { TokenCacheTtlMs = ttlMs, TokenNegativeCacheTtlMs = negativeTtlMs, TokenCacheMaxEntries = maxEntries }), _time);

    [Fact]
    public async Task Known_token_is_cached_until_the_ttl_then_revocation_is_seen()
    {
        var directory = Create();

        Assert.Equal("t1", await directory.FindTenantAsync("tok-1", CancellationToken.None));
        await _store.RevokeTokensAsync("t1", null, CancellationToken.None);
        _time.Offset = TimeSpan.FromMilliseconds(4900);
        Assert.Equal("t1", await directory.FindTenantAsync("tok-1", CancellationToken.None));
        _time.Offset = TimeSpan.FromMilliseconds(5001);
        Assert.Null(await directory.FindTenantAsync("tok-1", CancellationToken.None));
        Assert.Equal(2, _store.Lookups);
    }

    [Fact]
    public async Task Unknown_token_is_remembered_for_the_negative_ttl_only()
    {
        var directory = Create();

        Assert.Null(await directory.FindTenantAsync("tok-new", CancellationToken.None));
        await _store.AddTokenAsync("t1", "tok-new", CancellationToken.None);
        Assert.Null(await directory.FindTenantAsync("tok-new", CancellationToken.None));
        _time.Offset = TimeSpan.FromMilliseconds(1001);
        Assert.Equal("t1", await directory.FindTenantAsync("tok-new", CancellationToken.None));
    }

    [Fact]
    public async Task Zero_ttl_always_asks_the_store()
    {
        var directory = Create(ttlMs: 0, negativeTtlMs: 0);

        await directory.FindTenantAsync("tok-1", CancellationToken.None);
        await directory.FindTenantAsync("tok-1", CancellationToken.None);

        Assert.Equal(2, _store.Lookups);
    }

    [Fact]
    public async Task Store_failures_are_not_cached()
    {
        var directory = Create();
        _store.LookupFailure = new InvalidOperationException("down");

        await Assert.ThrowsAsync<InvalidOperationException>(() => directory.FindTenantAsync("tok-1", CancellationToken.None));
        _store.LookupFailure = null;

        Assert.Equal("t1", await directory.FindTenantAsync("tok-1", CancellationToken.None));
    }

    [Fact]
    public async Task Empty_or_missing_token_never_reaches_the_store()
    {
        var directory = Create();

        Assert.Null(await directory.FindTenantAsync(null, CancellationToken.None));
        Assert.Null(await directory.FindTenantAsync("", CancellationToken.None));
        Assert.Equal(0, _store.Lookups);
    }

    [Fact]
    public async Task Cache_stays_bounded_under_token_guessing()
    {
        var directory = Create(maxEntries: 50);

        for (var i = 0; i < 500; i++) await directory.FindTenantAsync("guess-" + i, CancellationToken.None);

        Assert.InRange(directory.CachedCount, 0, 51);
    }
}
