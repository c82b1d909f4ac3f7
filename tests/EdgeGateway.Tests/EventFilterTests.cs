using System.Text.Json;
using System.Text.Json.Nodes;
using OpenClaw.EdgeGateway.Tests.Infrastructure;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.EdgeGateway.Tests;

/// <summary>
/// Per-socket event filters (AGENT.md §3, §7, §9): audience, required scope, required caps,
/// excluded caps; node sockets get what is addressed to them plus <c>heartbeat</c>, never operator
/// broadcasts; every forwarded call carries the socket's role and caps.
/// </summary>
public sealed class EventFilterTests
{
    /// <summary>Four sockets of one tenant, as in the reference run: tool-events operator, plain operator, approver, node host.</summary>
    private sealed class Sockets : IAsyncDisposable
    {
        public required GatewayTestClient ToolEvents { get; init; }
        public required GatewayTestClient Plain { get; init; }
        public required GatewayTestClient Approver { get; init; }
        public required GatewayTestClient Node { get; init; }
        public required string NodeId { get; init; }
        public required string PlainId { get; init; }

        public IEnumerable<GatewayTestClient> All => [ToolEvents, Plain, Approver, Node];

        public async ValueTask DisposeAsync()
        {
            foreach (var client in All) await client.DisposeAsync();
        }
    }

    private static async Task<Sockets> OpenAsync(EdgeTestServer server)
    {
        var toolEvents = await ConnectOperatorAsync(server, ["operator.read", "operator.write"], ["tool-events"]);
        var (plain, plainHello) = await server.ConnectAsync(scopes: ["operator.read", "operator.write"]);
        var approver = await ConnectOperatorAsync(server, ["operator.approvals"], ["exec-approvals"]);
        var (node, nodeHello, _) = await NodeConnectTests.ConnectNodeAsync(server);
        await FrameTests.WaitForSubscriptionAsync(server, EdgeTestServer.TenantA, 4);
        return new Sockets
        {
            ToolEvents = toolEvents, Plain = plain, Approver = approver, Node = node,
            NodeId = ConnectionReportTests.ConnId(nodeHello), PlainId = ConnectionReportTests.ConnId(plainHello),
        };
    }

    private static async Task<GatewayTestClient> ConnectOperatorAsync(EdgeTestServer server, string[] scopes, string[] caps)
    {
        var client = await server.OpenAsync();
        await client.ReadChallengeAsync();
        var parameters = ConnectRequests.Params(EdgeTestServer.TokenA, scopes);
        parameters["caps"] = new JsonArray(caps.Select(c => (JsonNode)JsonValue.Create(c)!).ToArray());
        var hello = await client.SendConnectAsync(parameters);
        Assert.True(hello.GetProperty("ok").GetBoolean(), hello.GetRawText());
        return client;
    }

    /// <summary>Emits <paramref name="events"/>, then a <c>heartbeat</c> every socket gets; returns the event names each socket got before it.</summary>
    private static async Task<Dictionary<GatewayTestClient, List<string>>> ReceivedAsync(EdgeTestServer server, Sockets sockets, params TenantEvent[] events)
    {
        var grain = server.Grains.Grain(EdgeTestServer.TenantA);
        foreach (var tenantEvent in events) grain.Emit(tenantEvent);
        var marker = Guid.NewGuid().ToString("N");
        grain.Emit("heartbeat", $$"""{"marker":"{{marker}}"}""");
        var received = new Dictionary<GatewayTestClient, List<string>>();
        foreach (var client in sockets.All)
        {
            await client.WaitForAsync(f => f.TryGetProperty("payload", out var p) && p.ValueKind == JsonValueKind.Object
                && p.TryGetProperty("marker", out var m) && m.GetString() == marker);
            received[client] = client.All.Select(f => f.Json)
                .Where(f => f.GetProperty("type").GetString() == "event")
                .Select(f => f.GetProperty("event").GetString()!)
                .Where(e => e is not ("connect.challenge" or "heartbeat" or "tick"))
                .ToList();
        }
        return received;
    }

    [Fact]
    public async Task Scope_guarded_events_reach_only_sockets_with_the_scope()
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var sockets = await OpenAsync(server);

        var received = await ReceivedAsync(server, sockets,
            new TenantEvent("exec.approval.requested", """{"id":"a1"}""") { RequiredScope = "operator.approvals", RequiredAnyCap = ["exec-approvals", "approvals"] },
            new TenantEvent("sessions.changed", "{}") { RequiredScope = "operator.read" });

        Assert.Equal(["sessions.changed"], received[sockets.ToolEvents]);
        Assert.Equal(["sessions.changed"], received[sockets.Plain]);
        Assert.Equal(["exec.approval.requested"], received[sockets.Approver]);
        Assert.Empty(received[sockets.Node]);
    }

    [Fact]
    public async Task Tool_events_reach_only_the_cap_socket_and_item_events_the_others()
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var sockets = await OpenAsync(server);

        var received = await ReceivedAsync(server, sockets,
            new TenantEvent("agent", """{"stream":"tool"}""") { RequiredAnyCap = ["tool-events"] },
            new TenantEvent("session.tool", """{"stream":"tool"}""") { ExcludedCaps = ["tool-events"], RequiredScope = "operator.read" });

        Assert.Equal(["agent"], received[sockets.ToolEvents]);
        Assert.Equal(["session.tool"], received[sockets.Plain]);
        Assert.Empty(received[sockets.Approver]);
        Assert.Empty(received[sockets.Node]);
    }

    [Fact]
    public async Task Node_sockets_get_what_is_addressed_to_them_unsequenced_and_no_operator_broadcasts()
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var sockets = await OpenAsync(server);

        var received = await ReceivedAsync(server, sockets,
            new TenantEvent("chat", """{"state":"delta"}"""),
            new TenantEvent("agent", """{"stream":"assistant"}"""),
            new TenantEvent("presence", "[]"),
            new TenantEvent("node.invoke.request", """{"id":"i1","command":"system.run"}""") { Audience = [sockets.NodeId] },
            new TenantEvent("node.invoke.cancel", """{"invokeId":"i1"}""") { Audience = [sockets.NodeId] },
            new TenantEvent("session.message", "{}") { Audience = [sockets.PlainId] });

        Assert.Equal(["node.invoke.request", "node.invoke.cancel"], received[sockets.Node]);
        Assert.Equal(["chat", "agent", "presence", "session.message"], received[sockets.Plain]);
        Assert.Equal(["chat", "agent", "presence"], received[sockets.ToolEvents]);

        // As the real gateway: frames addressed to a node carry no seq; its broadcasts (heartbeat) do.
        var nodeEvents = sockets.Node.All.Select(f => f.Json).Where(f => f.GetProperty("type").GetString() == "event").ToList();
        Assert.All(nodeEvents.Where(e => e.GetProperty("event").GetString()!.StartsWith("node.invoke.", StringComparison.Ordinal)),
            e => Assert.False(e.TryGetProperty("seq", out _)));
        Assert.Equal(1, nodeEvents.Single(e => e.GetProperty("event").GetString() == "heartbeat").GetProperty("seq").GetInt64());
        // Operators keep their per-socket seq for audience events.
        Assert.True((await sockets.Plain.EventAsync("session.message")).TryGetProperty("seq", out _));
    }

    [Fact]
    public async Task An_event_addressed_to_a_node_still_honours_its_scope_and_cap_filters()
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var sockets = await OpenAsync(server);

        var received = await ReceivedAsync(server, sockets,
            new TenantEvent("node.pair.resolved", "{}") { Audience = [sockets.NodeId], RequiredScope = "operator.pairing" },
            new TenantEvent("node.invoke.request", """{"id":"i2"}""") { Audience = [sockets.NodeId], ExcludedCaps = ["system"] },
            new TenantEvent("node.invoke.request", """{"id":"i3"}""") { Audience = [sockets.NodeId], RequiredAnyCap = ["system"] });

        Assert.Equal(["node.invoke.request"], received[sockets.Node]);
        var delivered = sockets.Node.All.Select(f => f.Json)
            .Single(f => f.GetProperty("type").GetString() == "event" && f.GetProperty("event").GetString() == "node.invoke.request");
        Assert.Equal("i3", delivered.GetProperty("payload").GetProperty("id").GetString());
    }

    [Fact]
    public async Task Every_forwarded_call_carries_the_sockets_role_and_caps()
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var sockets = await OpenAsync(server);
        var grain = server.Grains.Grain(EdgeTestServer.TenantA);

        await sockets.Node.CallAsync("node.invoke.result", new JsonObject { ["id"] = "i1", ["nodeId"] = "n", ["ok"] = true });
        await sockets.ToolEvents.CallAsync("chat.history", new JsonObject { ["sessionKey"] = "agent:main:main" });

        var nodeCall = grain.Calls.Select(c => c.Call).Single(c => c.Method == "node.invoke.result");
        Assert.Equal(GatewayRoles.Node, nodeCall.Role);
        Assert.Equal(["browser", "file", "local-inference", "mcp", "system"], nodeCall.Caps);
        Assert.Empty(nodeCall.Scopes);
        Assert.Equal(sockets.NodeId, nodeCall.ConnectionId);
        var operatorCall = grain.Calls.Select(c => c.Call).Single(c => c.Method == "chat.history");
        Assert.Equal(GatewayRoles.Operator, operatorCall.Role);
        Assert.Equal(["tool-events"], operatorCall.Caps);
    }
}
