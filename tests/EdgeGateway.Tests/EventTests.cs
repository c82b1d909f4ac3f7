using Microsoft.Extensions.DependencyInjection;
using OpenClaw.EdgeGateway.Connections;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenClaw.EdgeGateway.Tests.Infrastructure;

namespace OpenClaw.EdgeGateway.Tests;

/// <summary>Ticks, per-socket seq, tenant events through the observer, and tenant isolation.</summary>
public sealed class EventTests
{
    [Fact]
    public async Task Ticks_arrive_at_the_tick_interval_with_increasing_seq()
    {
        await using var server = await EdgeTestServer.StartAsync(new Dictionary<string, string?> { ["TickIntervalMs"] = "100" });
        var (client, hello) = await server.ConnectAsync();
        await using var clientScope = client;
        Assert.Equal(100, hello.GetProperty("payload").GetProperty("policy").GetProperty("tickIntervalMs").GetInt32());

        var ticks = new List<JsonElement>();
        for (var i = 0; i < 3; i++) ticks.Add(await client.EventAsync("tick"));

        Assert.Equal([1L, 2L, 3L], ticks.Select(t => t.GetProperty("seq").GetInt64()));
        var stamps = ticks.Select(t => t.GetProperty("payload").GetProperty("ts").GetInt64()).ToList();
        Assert.True(stamps[0] <= stamps[1] && stamps[1] <= stamps[2]);
        Assert.InRange(stamps[0], DateTimeOffset.UtcNow.AddSeconds(-10).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.AddSeconds(10).ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task Tenant_events_and_ticks_share_one_gapless_seq_per_socket()
    {
        await using var server = await EdgeTestServer.StartAsync(new Dictionary<string, string?> { ["TickIntervalMs"] = "50" });
        var (client, _) = await server.ConnectAsync();
        await using var clientScope = client;
        await FrameTests.WaitForSubscriptionAsync(server);

        // Each event is followed by a tick before the next one, so ticks and events interleave.
        for (var i = 0; i < 5; i++)
        {
            server.Grains.Grain(EdgeTestServer.TenantA).Emit("chat", $$"""{"runId":"r","seq":{{i}},"state":"delta"}""");
            await client.EventAsync("chat");
            await client.EventAsync("tick");
        }

        List<JsonElement> events;
        events = client.All.Select(f => f.Json).Where(f => f.GetProperty("type").GetString() == "event" && f.GetProperty("event").GetString() != "connect.challenge").ToList();
        Assert.Equal(5, events.Count(e => e.GetProperty("event").GetString() == "chat"));
        Assert.Contains(events, e => e.GetProperty("event").GetString() == "tick");
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.GetProperty("seq").GetInt64()));
    }

    [Fact]
    public async Task Event_payload_is_forwarded_verbatim()
    {
        await using var server = await EdgeTestServer.StartAsync();
        var (client, _) = await server.ConnectAsync();
        await using var clientScope = client;
        await FrameTests.WaitForSubscriptionAsync(server);

        const string payload = """{"runId":"r1","state":"delta","deltaText":"héllo ✓","message":{"content":[{"type":"text","text":"héllo ✓"}]}}""";
        server.Grains.Grain(EdgeTestServer.TenantA).Emit("chat", payload);
        var chat = await client.EventAsync("chat");

        Assert.Equal(1, chat.GetProperty("seq").GetInt64());
        var text = client.All.First(f => f.Json.TryGetProperty("event", out var e) && e.GetString() == "chat").Text;
        Assert.Equal("{\"type\":\"event\",\"event\":\"chat\",\"payload\":" + payload + ",\"seq\":1}", text);
    }

    [Fact]
    public async Task Two_tenants_never_receive_each_others_events()
    {
        await using var server = await EdgeTestServer.StartAsync();
        var (a1, _) = await server.ConnectAsync(EdgeTestServer.TokenA);
        var (a2, _) = await server.ConnectAsync(EdgeTestServer.TokenA);
        var (b1, _) = await server.ConnectAsync(EdgeTestServer.TokenB);
        await using var _a1 = a1;
        await using var _a2 = a2;
        await using var _b1 = b1;
        await FrameTests.WaitForSubscriptionAsync(server, EdgeTestServer.TenantA, 2);
        await FrameTests.WaitForSubscriptionAsync(server, EdgeTestServer.TenantB, 1);

        // Through a request too: the grain a socket reaches is always its own tenant's.
        var emitted = await b1.CallAsync("test.emit", new JsonObject { ["event"] = "chat", ["payload"] = new JsonObject { ["secret"] = "of-b" } });
        server.Grains.Grain(EdgeTestServer.TenantA).Emit("chat", """{"secret":"of-a"}""");

        Assert.True(emitted.GetProperty("ok").GetBoolean());
        Assert.Equal("of-a", (await a1.EventAsync("chat")).GetProperty("payload").GetProperty("secret").GetString());
        Assert.Equal("of-a", (await a2.EventAsync("chat")).GetProperty("payload").GetProperty("secret").GetString());
        Assert.Equal("of-b", (await b1.EventAsync("chat")).GetProperty("payload").GetProperty("secret").GetString());
        // A marker sent after everything else: a socket's frames arrive in order, so once it is in,
        // an event that leaked earlier would be in too.
        server.Grains.Grain(EdgeTestServer.TenantA).Emit("marker", "{}");
        server.Grains.Grain(EdgeTestServer.TenantB).Emit("marker", "{}");
        await a1.EventAsync("marker");
        await a2.EventAsync("marker");
        await b1.EventAsync("marker");
        Assert.DoesNotContain(a1.All, f => f.Text.Contains("of-b", StringComparison.Ordinal));
        Assert.DoesNotContain(a2.All, f => f.Text.Contains("of-b", StringComparison.Ordinal));
        Assert.DoesNotContain(b1.All, f => f.Text.Contains("of-a", StringComparison.Ordinal));
        Assert.All(server.Grains.Grain(EdgeTestServer.TenantB).Calls, c => Assert.Equal("test.emit", c.Call.Method));
        Assert.Empty(server.Grains.Grain(EdgeTestServer.TenantA).Calls);
    }

    [Fact]
    public async Task Closing_the_tenants_last_socket_unsubscribes_the_edge_and_deletes_its_observer()
    {
        await using var server = await EdgeTestServer.StartAsync();
        var (first, _) = await server.ConnectAsync();
        var (second, _) = await server.ConnectAsync();
        await FrameTests.WaitForSubscriptionAsync(server, count: 2);
        var grain = server.Grains.Grain(EdgeTestServer.TenantA);
        var subscriberId = Assert.Single(grain.Subscribers).Key;

        // One socket of two leaves: the edge's subscription stays for the other.
        await first.CloseAsync();
        await first.DisposeAsync();
        var hubs = server.Services.GetRequiredService<TenantEventHubs>();
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (hubs.MembersOf(EdgeTestServer.TenantA) > 1 && DateTime.UtcNow < deadline) await Task.Delay(10);
        Assert.Equal(1, hubs.MembersOf(EdgeTestServer.TenantA));
        Assert.True(grain.Subscribers.ContainsKey(subscriberId));
        Assert.Empty(server.Grains.DeletedReferences);

        await second.CloseAsync();
        await second.DisposeAsync();
        deadline = DateTime.UtcNow.AddSeconds(5);
        while (server.Grains.DeletedReferences.IsEmpty && DateTime.UtcNow < deadline) await Task.Delay(10);

        Assert.Contains(subscriberId, grain.Unsubscribed);
        Assert.Empty(grain.Subscribers);
        Assert.Single(server.Grains.DeletedReferences);
        Assert.Same(Assert.Single(server.Grains.CreatedReferences), server.Grains.DeletedReferences.Single());
        Assert.Equal(0, hubs.Count);
    }

    [Fact]
    public async Task Subscription_is_renewed_at_the_renewal_interval()
    {
        await using var server = await EdgeTestServer.StartAsync(new Dictionary<string, string?> { ["SubscriptionRenewalIntervalMs"] = "100" });
        var (client, _) = await server.ConnectAsync();
        await using var clientScope = client;

        // Renewals keep coming (waits for three, however slow the machine is), all with the one reference.
        var grain = server.Grains.Grain(EdgeTestServer.TenantA);
        for (var i = 0; i < 200 && grain.SubscribeCount < 3; i++) await Task.Delay(50);

        Assert.True(grain.SubscribeCount >= 3, $"only {grain.SubscribeCount} subscriptions in 10 s");
        Assert.Single(server.Grains.CreatedReferences);
    }

    [Fact]
    public async Task Stopping_the_host_sends_shutdown_then_closes_1012()
    {
        await using var server = await EdgeTestServer.StartAsync(new Dictionary<string, string?> { ["RestartExpectedMs"] = "7000" });
        var (client, _) = await server.ConnectAsync();
        await using var clientScope = client;

        var stopping = server.StopAsync();
        var shutdown = await client.EventAsync("shutdown");
        var (status, reason) = await client.ClosedAsync();
        await stopping;

        Assert.Equal("service restart", shutdown.GetProperty("payload").GetProperty("reason").GetString());
        Assert.Equal(7000, shutdown.GetProperty("payload").GetProperty("restartExpectedMs").GetInt32());
        Assert.Equal(1, shutdown.GetProperty("seq").GetInt64());
        Assert.Equal((WebSocketCloseStatus)1012, status);
        Assert.Equal("service restart", reason);
    }

    [Fact]
    public async Task Stopping_the_host_answers_the_requests_in_flight_before_closing_and_refuses_new_ones_as_retryable()
    {
        await using var server = await EdgeTestServer.StartAsync();
        var (client, _) = await server.ConnectAsync();
        await using var clientScope = client;
        var grain = server.Grains.Grain(EdgeTestServer.TenantA);
        var blocked = await client.SendRequestAsync("test.block");
        for (var i = 0; i < 500 && grain.Blocked == 0; i++) await Task.Delay(10);
        Assert.Equal(1, grain.Blocked);

        var stopping = server.StopAsync();
        await client.EventAsync("shutdown");
        server.Time.Offset += TimeSpan.FromSeconds(1); // well after the event: the client has seen it
        var late = await client.CallAsync("health");
        grain.ReleaseBlocked();
        var answered = await client.ResponseAsync(blocked);
        var (status, _) = await client.ClosedAsync();
        await stopping;

        Assert.True(answered.GetProperty("ok").GetBoolean(), answered.ToString());
        Assert.False(late.GetProperty("ok").GetBoolean());
        Assert.Equal("UNAVAILABLE", late.GetProperty("error").GetProperty("code").GetString());
        Assert.True(late.GetProperty("error").GetProperty("retryable").GetBoolean());
        Assert.Equal((WebSocketCloseStatus)1012, status);
    }
}
