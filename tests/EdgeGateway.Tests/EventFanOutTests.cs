using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OpenClaw.EdgeGateway.Connections;
using OpenClaw.EdgeGateway.Tests.Infrastructure;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Runtime;

namespace OpenClaw.EdgeGateway.Tests;

/// <summary>
/// One subscription per (edge, tenant), fanned out to the tenant's sockets here; targeted events;
/// and subscribing again as soon as the subscription is known to be gone.
/// </summary>
public sealed class EventFanOutTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Many_sockets_of_a_tenant_share_one_subscription_and_each_gets_every_event_with_its_own_seq()
    {
        await using var server = await EdgeTestServer.StartAsync();
        var clients = new List<GatewayTestClient>();
        for (var i = 0; i < 5; i++) clients.Add((await server.ConnectAsync()).Client);
        await FrameTests.WaitForSubscriptionAsync(server, count: 5);
        var grain = server.Grains.Grain(EdgeTestServer.TenantA);

        // Sent once by the grain, delivered to all five.
        grain.Emit("chat", """{"n":1}""");
        grain.Emit("chat", """{"n":2}""");

        Assert.Single(grain.Subscribers);
        Assert.Single(server.Grains.CreatedReferences);
        foreach (var client in clients)
        {
            var first = await client.EventAsync("chat");
            var second = await client.EventAsync("chat");
            Assert.Equal(1, first.GetProperty("payload").GetProperty("n").GetInt32());
            Assert.Equal(2, second.GetProperty("payload").GetProperty("n").GetInt32());
            Assert.Equal(first.GetProperty("seq").GetInt64() + 1, second.GetProperty("seq").GetInt64());
            await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_event_with_an_audience_reaches_only_those_sockets()
    {
        await using var server = await EdgeTestServer.StartAsync();
        var (listener, hello) = await server.ConnectAsync();
        var (other, _) = await server.ConnectAsync();
        await using var _l = listener;
        await using var _o = other;
        var listenerId = hello.GetProperty("payload").GetProperty("server").GetProperty("connId").GetString()!;
        await FrameTests.WaitForSubscriptionAsync(server, count: 2);
        var grain = server.Grains.Grain(EdgeTestServer.TenantA);

        grain.Emit("sessions.changed", """{"secret":"targeted"}""", audience: [listenerId, "a-socket-on-another-edge"]);
        grain.Emit("marker", "{}");

        Assert.Equal("targeted", (await listener.EventAsync("sessions.changed")).GetProperty("payload").GetProperty("secret").GetString());
        await other.EventAsync("marker");
        Assert.DoesNotContain(other.All, f => f.Text.Contains("targeted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_grains_activation_ending_notice_makes_the_edge_subscribe_again_and_is_never_forwarded()
    {
        // Renewal left at its default (a minute): only the notice can explain a second subscribe.
        await using var server = await EdgeTestServer.StartAsync();
        var (client, _) = await server.ConnectAsync();
        await using var _c = client;
        await FrameTests.WaitForSubscriptionAsync(server);
        var grain = server.Grains.Grain(EdgeTestServer.TenantA);
        var before = grain.SubscribeCount;

        grain.Emit(TenantEventSubscription.ResubscribeEvent, "{}");
        await WaitUntilAsync(() => grain.SubscribeCount > before, "the edge did not subscribe again after the notice");
        grain.Emit("marker", "{}");

        await client.EventAsync("marker");
        Assert.DoesNotContain(client.All, f => f.Text.Contains(TenantEventSubscription.ResubscribeEvent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_tenant_lost_with_its_silo_is_subscribed_again_at_once()
    {
        var locations = new FakeGrainLocationEvents();
        await using var server = await EdgeTestServer.StartAsync(services: s => s.AddSingleton<IGrainLocationEvents>(locations));
        var (client, _) = await server.ConnectAsync();
        await using var _c = client;
        await FrameTests.WaitForSubscriptionAsync(server);
        var grain = server.Grains.Grain(EdgeTestServer.TenantA);
        var other = server.Grains.Grain(EdgeTestServer.TenantB);
        var before = grain.SubscribeCount;

        grain.Subscribers.Clear(); // the activation died, and its subscriptions with it
        locations.Lose(new GrainId("user", EdgeTestServer.TenantA), new GrainId("user", "tenant-without-sockets-here"));

        await WaitUntilAsync(() => !grain.Subscribers.IsEmpty, "the edge did not subscribe again after the grain was lost");
        Assert.Equal(before + 1, grain.SubscribeCount);
        Assert.Equal(0, other.SubscribeCount);
        grain.Emit("chat", """{"after":"failover"}""");
        Assert.Equal("failover", (await client.EventAsync("chat")).GetProperty("payload").GetProperty("after").GetString());
    }

    [Fact]
    public async Task A_request_retried_after_its_silo_died_reaches_a_grain_that_already_has_the_edges_subscription()
    {
        await using var server = await EdgeTestServer.StartAsync();
        var (client, _) = await server.ConnectAsync();
        await using var _c = client;
        await FrameTests.WaitForSubscriptionAsync(server);
        var grain = server.Grains.Grain(EdgeTestServer.TenantA);

        grain.SiloDown = true;
        var id = await client.SendRequestAsync("chat.send", new JsonObject { ["sessionKey"] = "main", ["message"] = "hi", ["idempotencyKey"] = "k1" });
        await WaitUntilAsync(() => grain.RefusedCalls >= 1, "the request never reached the grain");
        while (grain.Arrivals.TryDequeue(out _)) { }
        grain.SiloDown = false; // the tenant now activates on a live silo

        var response = await client.ResponseAsync(id);

        Assert.True(response.GetProperty("ok").GetBoolean());
        var arrivals = grain.Arrivals.ToArray();
        Assert.Equal("subscribe", arrivals[0]);
        Assert.Contains("chat.send", arrivals);
    }

    [Fact]
    public async Task A_socket_that_asked_for_session_events_is_forgotten_by_the_grain_when_it_closes()
    {
        await using var server = await EdgeTestServer.StartAsync();
        var (watcher, hello) = await server.ConnectAsync();
        var (quiet, _) = await server.ConnectAsync();
        await using var _q = quiet;
        var watcherId = hello.GetProperty("payload").GetProperty("server").GetProperty("connId").GetString()!;
        await watcher.CallAsync("sessions.subscribe", new JsonObject());
        var grain = server.Grains.Grain(EdgeTestServer.TenantA);

        await watcher.CloseAsync();
        await watcher.DisposeAsync();

        await WaitUntilAsync(() => grain.Unsubscribed.Contains(watcherId), "the grain was not told the socket closed");
        Assert.NotEmpty(grain.Subscribers); // the edge's subscription stays for the other socket
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string failure)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException(failure);
            await Task.Delay(10);
        }
    }

    private sealed class FakeGrainLocationEvents : IGrainLocationEvents
    {
        public event Action<IReadOnlyList<GrainId>>? GrainsLost;

        public void Lose(params GrainId[] grains) => GrainsLost?.Invoke(grains);
    }
}
