using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenClaw.EdgeGateway.Tests.Infrastructure;

namespace OpenClaw.EdgeGateway.Tests;

/// <summary>
/// Findings 4 and 5: what one tenant can hold on this edge (sockets, requests and bytes in flight,
/// params sizes) is bounded across all its sockets, its flood never holds back another tenant,
/// and nothing a socket held outlives it.
/// </summary>
public sealed class TenantLimitTests
{
    [Fact]
    public async Task Sockets_per_tenant_are_capped()
    {
        await using var server = await EdgeTestServer.StartAsync(new Dictionary<string, string?> { ["MaxConnectionsPerTenant"] = "2" });
        var (first, ok1) = await server.ConnectAsync();
        var (second, ok2) = await server.ConnectAsync();
        await using var firstScope = first;
        await using var secondScope = second;
        Assert.True(ok1.GetProperty("ok").GetBoolean());
        Assert.True(ok2.GetProperty("ok").GetBoolean());

        var (third, refused) = await server.ConnectAsync();
        await using var thirdScope = third;
        var (status, reason) = await third.ClosedAsync();
        var (other, otherHello) = await server.ConnectAsync(EdgeTestServer.TokenB);
        await using var otherScope = other;

        var error = refused.GetProperty("error");
        Assert.Equal("UNAVAILABLE", error.GetProperty("code").GetString());
        Assert.Contains("too many connections", error.GetProperty("message").GetString());
        Assert.True(error.GetProperty("retryable").GetBoolean());
        Assert.True(error.GetProperty("retryAfterMs").GetInt32() > 0);
        Assert.Equal((WebSocketCloseStatus)1013, status);
        Assert.Contains("too many connections", reason);
        Assert.True(otherHello.GetProperty("ok").GetBoolean());

        // A closed socket gives its place back.
        await first.CloseAsync();
        await WaitUntilAsync(async () =>
        {
            var (again, hello) = await server.ConnectAsync();
            await again.DisposeAsync();
            return hello.GetProperty("ok").GetBoolean();
        });
    }

    [Fact]
    public async Task Requests_in_flight_per_tenant_are_capped_without_reaching_the_grain()
    {
        await using var server = await EdgeTestServer.StartAsync(new Dictionary<string, string?> { ["MaxRequestsInFlightPerTenant"] = "8" });
        var grain = server.Grains.Grain(EdgeTestServer.TenantA);
        var (first, _) = await server.ConnectAsync();
        var (second, _) = await server.ConnectAsync();
        await using var firstScope = first;
        await using var secondScope = second;

        var ids = new List<(GatewayTestClient Client, string Id)>();
        for (var i = 0; i < 10; i++)
        {
            ids.Add((first, await first.SendRequestAsync("test.block")));
            ids.Add((second, await second.SendRequestAsync("test.block")));
        }
        await WaitUntilAsync(() => Task.FromResult(grain.Blocked == 8 && Refused(first).Count + Refused(second).Count == 12));
        var refused = Refused(first).Concat(Refused(second)).ToList();
        grain.ReleaseBlocked();
        foreach (var (client, id) in ids) await client.ResponseAsync(id);

        Assert.Equal(12, refused.Count);
        Assert.All(refused, r =>
        {
            var error = r.GetProperty("error");
            Assert.Equal("UNAVAILABLE", error.GetProperty("code").GetString());
            Assert.True(error.GetProperty("retryable").GetBoolean());
            Assert.True(error.GetProperty("retryAfterMs").GetInt32() > 0);
        });
        Assert.Equal(8, grain.Calls.Count);
    }

    /// <summary>The silo's capacity is finite (modelled by a shared slot count): one tenant's flood must not take all of it.</summary>
    [Fact]
    public async Task A_flooding_tenant_does_not_hold_back_another_tenants_health()
    {
        await using var server = await EdgeTestServer.StartAsync(new Dictionary<string, string?> { ["MaxRequestsInFlightPerTenant"] = "32" });
        server.Grains.SharedCapacity = new SemaphoreSlim(100);
        var flooder = server.Grains.Grain(EdgeTestServer.TenantA);
        var sockets = new List<GatewayTestClient>();
        try
        {
            for (var s = 0; s < 4; s++)
            {
                var (client, _) = await server.ConnectAsync();
                sockets.Add(client);
                for (var i = 0; i < 100; i++) await client.SendRequestAsync("test.block");
            }
            await WaitUntilAsync(() => Task.FromResult(flooder.Blocked > 0));

            var (victim, _) = await server.ConnectAsync(EdgeTestServer.TokenB);
            await using var victimScope = victim;
            var health = await victim.CallAsync("health");

            Assert.True(health.GetProperty("ok").GetBoolean());
            Assert.True(flooder.Blocked > 0, "the flood was over before the other tenant was answered");
            Assert.InRange(flooder.Calls.Count, 1, 32);
        }
        finally
        {
            flooder.ReleaseBlocked();
            foreach (var socket in sockets) await socket.DisposeAsync();
        }
    }

    [Fact]
    public async Task Request_bytes_in_flight_per_tenant_are_capped()
    {
        await using var server = await EdgeTestServer.StartAsync(new Dictionary<string, string?>
        {
            ["MaxPreAuthPayloadBytes"] = "16384",
            ["MaxPayloadBytes"] = "32768",
            ["MaxBytesInFlightPerTenant"] = "65536",
        });
        var grain = server.Grains.Grain(EdgeTestServer.TenantA);
        var (client, _) = await server.ConnectAsync();
        await using var clientScope = client;

        var ids = new List<string>();
        for (var i = 0; i < 20; i++) ids.Add(await client.SendRequestAsync("test.block", new JsonObject { ["pad"] = new string('p', 20_000) }));
        var last = await client.ResponseAsync(ids[^1]);
        grain.ReleaseBlocked();
        foreach (var id in ids[..^1]) await client.ResponseAsync(id);

        Assert.Equal("UNAVAILABLE", last.GetProperty("error").GetProperty("code").GetString());
        Assert.True(last.GetProperty("error").GetProperty("retryable").GetBoolean());
        Assert.InRange(grain.Calls.Count, 1, 3);
    }

    [Fact]
    public async Task Outgoing_bytes_of_all_a_tenants_sockets_are_capped_by_closing_the_slowest()
    {
        await using var server = await EdgeTestServer.StartAsync(new Dictionary<string, string?>
        {
            ["MaxPreAuthPayloadBytes"] = "16384",
            ["MaxPayloadBytes"] = "32768",
            ["MaxBufferedBytes"] = "10485760",
            ["MaxBytesInFlightPerTenant"] = "65536",
        });
        var (first, _) = await server.ConnectAsync();
        var (second, _) = await server.ConnectAsync();
        await using var firstScope = first;
        await using var secondScope = second;
        await FrameTests.WaitForSubscriptionAsync(server, count: 2);

        // 2 × 2000 events of 1 KB queued at once: far more than 64 KB for the tenant, well under each socket's 10 MB.
        await first.SendRequestAsync("test.emit", new JsonObject
        {
            ["event"] = "chat",
            ["payload"] = new JsonObject { ["text"] = new string('e', 1000) },
            ["count"] = 2000,
        });
        var closed = await Task.WhenAny(first.ClosedAsync(TimeSpan.FromSeconds(30)), second.ClosedAsync(TimeSpan.FromSeconds(30)));
        var (status, reason) = await closed;

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Equal("slow consumer", reason);
    }

    [Theory]
    [InlineData("health")]
    [InlineData("sessions.list")]
    [InlineData("chat.history")]
    public async Task Oversized_params_of_small_methods_are_refused_before_the_grain(string method)
    {
        await using var server = await EdgeTestServer.StartAsync();
        var (client, _) = await server.ConnectAsync(scopes: ["operator.admin"]);
        await using var clientScope = client;

        var response = await client.CallAsync(method, new JsonObject { ["pad"] = new string('x', 20_000) });
        var chat = await client.CallAsync("chat.send", new JsonObject
        {
            ["sessionKey"] = "agent:main:main",
            ["message"] = new string('m', 90_000),
            ["idempotencyKey"] = "k1",
        });

        var error = response.GetProperty("error");
        Assert.Equal("INVALID_REQUEST", error.GetProperty("code").GetString());
        Assert.StartsWith($"invalid {method} params: too large", error.GetProperty("message").GetString());
        Assert.True(chat.GetProperty("ok").GetBoolean());
        Assert.Equal("chat.send", Assert.Single(server.Grains.Grain(EdgeTestServer.TenantA).Calls).Call.Method);
    }

    [Fact]
    public async Task A_closed_sockets_requests_no_longer_count_for_its_tenant()
    {
        await using var server = await EdgeTestServer.StartAsync(new Dictionary<string, string?> { ["MaxRequestsInFlightPerTenant"] = "8" });
        var grain = server.Grains.Grain(EdgeTestServer.TenantA);
        var (gone, _) = await server.ConnectAsync();
        for (var i = 0; i < 8; i++) await gone.SendRequestAsync("test.block");
        await WaitUntilAsync(() => Task.FromResult(grain.Blocked == 8));
        await gone.CloseAsync();
        await gone.DisposeAsync();

        try
        {
            // Its grain calls are still running, yet nothing of the socket counts for the tenant any more.
            var loads = server.Services.GetRequiredService<OpenClaw.EdgeGateway.Connections.TenantLoadRegistry>();
            await WaitUntilAsync(() => Task.FromResult(loads.Totals(EdgeTestServer.TenantA) == (0, 0, 0L)));
            Assert.Equal(8, grain.Blocked);

            var (fresh, _) = await server.ConnectAsync();
            await using var freshScope = fresh;
            await WaitUntilAsync(async () => (await fresh.CallAsync("health")).GetProperty("ok").GetBoolean());
        }
        finally
        {
            grain.ReleaseBlocked();
        }
    }

    private static List<JsonElement> Refused(GatewayTestClient client)
    {
        return client.All.Select(f => f.Json)
            .Where(f => f.GetProperty("type").GetString() == "res" && !f.GetProperty("ok").GetBoolean())
            .ToList();
    }

    internal static async Task WaitUntilAsync(Func<Task<bool>> condition, int timeoutSeconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the condition did not become true in time");
            await Task.Delay(20);
        }
    }
}
