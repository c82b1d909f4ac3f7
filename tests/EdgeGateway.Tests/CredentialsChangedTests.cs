using System.Net.WebSockets;
using OpenClaw.EdgeGateway.Tests.Infrastructure;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.EdgeGateway.Tests;

/// <summary>
/// The config sync's notice (<see cref="TenantControlEvents.CredentialsChanged"/>) makes the edge
/// re-check every socket of that tenant at once, past its token cache, long before the renewal interval.
/// </summary>
public sealed class CredentialsChangedTests
{
    private const string SecondTokenA = "token-tenant-a-second";

    [Fact]
    public async Task A_notice_closes_the_sockets_of_a_revoked_token_with_4001_at_once_and_keeps_the_others()
    {
        await using var server = await EdgeTestServer.StartAsync(new Dictionary<string, string?>
        {
            // Neither the cache nor the periodic re-check would notice within this test.
            ["TokenCacheTtlMs"] = "60000",
            ["SubscriptionRenewalIntervalMs"] = "90000",
        });
        server.Tenants.Add(EdgeTestServer.TenantA, SecondTokenA);
        var (revoked, _) = await server.ConnectAsync();
        var (kept, __) = await server.ConnectAsync(SecondTokenA);
        var (other, ___) = await server.ConnectAsync(EdgeTestServer.TokenB);
        await using var revokedScope = revoked;
        await using var keptScope = kept;
        await using var otherScope = other;
        var grainA = server.Grains.Grain(EdgeTestServer.TenantA);
        await WaitUntilAsync(() => !grainA.Subscribers.IsEmpty);

        await server.Tenants.RevokeTokensAsync(EdgeTestServer.TenantA, EdgeTestServer.TokenA, CancellationToken.None);
        grainA.Emit(TenantControlEvents.CredentialsChanged, "{}");
        var (status, reason) = await revoked.ClosedAsync(TimeSpan.FromSeconds(5));

        Assert.Equal((WebSocketCloseStatus)4001, status);
        Assert.Equal("credentials revoked", reason);
        Assert.True((await kept.CallAsync("health")).GetProperty("ok").GetBoolean());
        Assert.True((await other.CallAsync("health")).GetProperty("ok").GetBoolean());

        // The notice is internal: no client ever sees it.
        grainA.Emit("marker", "{}");
        await kept.EventAsync("marker");
        Assert.DoesNotContain(kept.All, f => f.Text.Contains(TenantControlEvents.CredentialsChanged, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_notice_is_acted_on_not_only_the_first()
    {
        await using var server = await EdgeTestServer.StartAsync(new Dictionary<string, string?>
        {
            ["TokenCacheTtlMs"] = "60000",
            ["SubscriptionRenewalIntervalMs"] = "90000",
        });
        var (socket, _) = await server.ConnectAsync();
        await using var scope = socket;
        var grainA = server.Grains.Grain(EdgeTestServer.TenantA);
        await WaitUntilAsync(() => !grainA.Subscribers.IsEmpty);

        grainA.Emit(TenantControlEvents.CredentialsChanged, "{}");
        // The connect looked the token up once; the notice makes the socket look it up again, past the cache.
        await WaitUntilAsync(() => server.Tenants.Lookups >= 2);
        Assert.True((await socket.CallAsync("health")).GetProperty("ok").GetBoolean());

        await server.Tenants.RevokeTokensAsync(EdgeTestServer.TenantA, null, CancellationToken.None);
        grainA.Emit(TenantControlEvents.CredentialsChanged, "{}");
        var (status, _) = await socket.ClosedAsync(TimeSpan.FromSeconds(5));

        Assert.Equal((WebSocketCloseStatus)4001, status);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met");
            await Task.Delay(10);
        }
    }
}
