using System.Text.Json;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.Tests.UserGrainTests;

/// <summary>The tenant's nodes (its <c>role:"node"</c> sockets): listing, node.invoke round trips, and what a hostile node or tenant can try.</summary>
public sealed class NodeMethodTests
{
    private static readonly string[] OperatorWrite = [GatewayMethodCatalog.ScopeWrite];

    [Fact]
    public async Task Node_list_shows_the_tenants_connected_nodes_approved_with_the_reference_fields()
    {
        using var harness = GatewayHarness.Create();
        await harness.OpenNodeAsync();
        await harness.OpenOperatorAsync("op-1", [GatewayMethodCatalog.ScopeRead]);

        var payload = await harness.OkAsync("node.list");

        Assert.True(payload.GetProperty("ts").GetInt64() > 0);
        var node = Assert.Single(payload.GetProperty("nodes").EnumerateArray());
        Assert.Equal(NodeHarness.NodeId, node.GetProperty("nodeId").GetString());
        Assert.Equal("build-node", node.GetProperty("displayName").GetString());
        Assert.Equal("linux", node.GetProperty("platform").GetString());
        Assert.Equal("node-host", node.GetProperty("clientId").GetString());
        Assert.Equal("node", node.GetProperty("clientMode").GetString());
        Assert.Equal("203.0.113.7", node.GetProperty("remoteIp").GetString());
        Assert.Equal("/usr/local/bin:/usr/bin:/bin", node.GetProperty("pathEnv").GetString());
        Assert.Equal(["system"], node.GetProperty("caps").EnumerateArray().Select(e => e.GetString()!));
        Assert.Contains("system.run", node.GetProperty("commands").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("approved", node.GetProperty("approvalState").GetString());
        Assert.True(node.GetProperty("paired").GetBoolean());
        Assert.True(node.GetProperty("connected").GetBoolean());
        Assert.Equal(JsonValueKind.Number, node.GetProperty("connectedAtMs").ValueKind);
    }

    [Fact]
    public async Task Node_id_falls_back_to_the_instance_id_then_the_connection_id()
    {
        using var harness = GatewayHarness.Create();
        await harness.OpenNodeAsync("c-a", deviceId: null, instanceId: "inst-7");
        await harness.OpenNodeAsync("c-b", deviceId: null);

        var ids = (await harness.OkAsync("node.list")).GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("nodeId").GetString()).ToList();
        Assert.Equal(["c-b", "inst-7"], ids);
    }

    [Fact]
    public async Task Node_describe_rename_and_reported_documents()
    {
        using var harness = GatewayHarness.Create();
        await harness.OpenNodeAsync();
        var tools = await harness.CallAsNodeAsync("node.pluginTools.update", new { tools = new[] { new { pluginId = "p", name = "t", description = "d" } } });
        Assert.True(tools.Ok, tools.Error?.Message);
        Assert.Equal(NodeHarness.NodeId, GatewayHarness.Payload(tools).GetProperty("nodeId").GetString());
        Assert.True((await harness.CallAsNodeAsync("node.skills.update", new { skills = Array.Empty<object>() })).Ok);
        Assert.True((await harness.CallAsNodeAsync("node.runnerInventory.update", new { protocolFeatures = new[] { "x" } })).Ok);

        Assert.True((await harness.CallAsync("node.rename", new { nodeId = NodeHarness.NodeId, displayName = "Renamed" })).Ok);
        var described = await harness.OkAsync("node.describe", new { nodeId = NodeHarness.NodeId });

        Assert.Equal("Renamed", described.GetProperty("displayName").GetString());
        Assert.Equal("t", described.GetProperty("nodePluginTools")[0].GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Array, described.GetProperty("skills").ValueKind);
        Assert.True(described.TryGetProperty("ts", out _));

        var unknown = await harness.CallAsync("node.describe", new { nodeId = "nope" });
        Assert.False(unknown.Ok);
        Assert.Contains("unknown node", unknown.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pairing_methods_need_operator_pairing_and_show_the_node_as_paired()
    {
        using var harness = GatewayHarness.Create();
        await harness.OpenNodeAsync();

        var denied = await harness.CallAsync("node.pair.list", "{}", scopes: [GatewayMethodCatalog.ScopeWrite]);
        Assert.Equal(GatewayErrorCodes.Forbidden, denied.Error!.Code);

        var list = GatewayHarness.Payload(await harness.CallAsync("node.pair.list", "{}", scopes: [GatewayMethodCatalog.ScopePairing]));
        Assert.Empty(list.GetProperty("pending").EnumerateArray());
        Assert.Equal(NodeHarness.NodeId, Assert.Single(list.GetProperty("paired").EnumerateArray()).GetProperty("nodeId").GetString());

        var approve = await harness.CallAsync("node.pair.approve", new { requestId = "someone-elses-request" });
        Assert.False(approve.Ok);
        Assert.Contains("unknown requestId", approve.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Node_invoke_round_trip_goes_only_to_that_nodes_socket()
    {
        using var harness = GatewayHarness.Create();
        await harness.OpenNodeAsync();
        await harness.OpenNodeAsync("node-conn-2", deviceId: "other-node");

        var pending = harness.CallAsync("node.invoke", new { nodeId = NodeHarness.NodeId, command = "system.which", @params = new { bins = new[] { "git" } }, idempotencyKey = "k1" }, OperatorWrite);
        var request = await harness.WaitForInvokeAsync("system.which");

        Assert.Equal(NodeHarness.NodeId, request.NodeId);
        Assert.Equal(["git"], request.Params.GetProperty("bins").EnumerateArray().Select(e => e.GetString()!));
        Assert.Equal("k1", request.Event.Payload.GetProperty("idempotencyKey").GetString());
        Assert.Equal([NodeHarness.NodeConnection], request.Event.Source!.Audience!);

        var answered = await harness.AnswerAsync(request, new { bins = new { git = "/usr/bin/git" } });
        Assert.True(answered.Ok);
        var reply = await pending;
        Assert.True(reply.Ok, reply.Error?.Message);
        var payload = GatewayHarness.Payload(reply);
        Assert.True(payload.GetProperty("ok").GetBoolean());
        Assert.Equal("system.which", payload.GetProperty("command").GetString());
        Assert.Equal("/usr/bin/git", payload.GetProperty("payload").GetProperty("bins").GetProperty("git").GetString());
    }

    [Fact]
    public async Task Node_error_is_passed_back_to_the_operator()
    {
        using var harness = GatewayHarness.Create();
        await harness.OpenNodeAsync();

        var pending = harness.CallAsync("node.invoke", new { nodeId = NodeHarness.NodeId, command = "system.which", idempotencyKey = "k" });
        var request = await harness.WaitForInvokeAsync("system.which");
        await harness.CallAsNodeAsync("node.invoke.result", new { id = request.Id, nodeId = request.NodeId, ok = false, error = new { code = "BAD", message = "no such bin" } });

        var reply = await pending;
        Assert.False(reply.Ok);
        Assert.Contains("no such bin", reply.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("\"BAD\"", reply.Error.DetailsJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Attack_a_tenant_naming_another_tenants_node_gets_unknown_node_and_nothing_reaches_that_node()
    {
        using var victim = GatewayHarness.Create();
        using var attacker = GatewayHarness.Create();
        await victim.OpenNodeAsync();

        var reply = await attacker.CallAsync("node.invoke", new { nodeId = NodeHarness.NodeId, command = "system.which", idempotencyKey = "k" });
        var describe = await attacker.CallAsync("node.describe", new { nodeId = NodeHarness.NodeId });

        Assert.False(reply.Ok);
        Assert.Contains("unknown node", reply.Error!.Message, StringComparison.Ordinal);
        Assert.False(describe.Ok);
        Assert.Empty((await attacker.OkAsync("node.list")).GetProperty("nodes").EnumerateArray());
        Assert.DoesNotContain(victim.Events.Events, e => e.Name == "node.invoke.request");
        Assert.DoesNotContain(attacker.Events.Events, e => e.Name == "node.invoke.request");
    }

    [Fact]
    public async Task Attack_a_result_from_another_socket_or_with_a_forged_id_is_ignored()
    {
        using var harness = GatewayHarness.Create();
        await harness.OpenNodeAsync();
        await harness.OpenNodeAsync("evil-conn", deviceId: "evil-node");

        var pending = harness.CallAsync("node.invoke", new { nodeId = NodeHarness.NodeId, command = "system.which", idempotencyKey = "k" });
        var request = await harness.WaitForInvokeAsync("system.which");

        // Another node answers the real id, claiming to be the target node.
        var stolen = await harness.AnswerAsync(request, new { bins = new { git = "/tmp/evil" } }, "evil-conn");
        Assert.False(stolen.Ok);
        Assert.Contains("no pending invoke", stolen.Error!.Message, StringComparison.Ordinal);

        // The right socket with a forged id, or the right id with another node id.
        var forged = await harness.CallAsNodeAsync("node.invoke.result", new { id = "forged", nodeId = NodeHarness.NodeId, ok = true });
        Assert.False(forged.Ok);
        var wrongNode = await harness.CallAsNodeAsync("node.invoke.result", new { id = request.Id, nodeId = "evil-node", ok = true });
        Assert.False(wrongNode.Ok);
        Assert.False(pending.IsCompleted);

        Assert.True((await harness.AnswerAsync(request, new { bins = new { git = "/usr/bin/git" } })).Ok);
        var payload = GatewayHarness.Payload(await pending);
        Assert.Equal("/usr/bin/git", payload.GetProperty("payload").GetProperty("bins").GetProperty("git").GetString());

        // A late duplicate is ignored too.
        Assert.False((await harness.AnswerAsync(request, new { })).Ok);
    }

    [Fact]
    public async Task Attack_a_result_over_the_size_cap_is_refused_and_fails_the_invoke()
    {
        using var harness = GatewayHarness.Create(options => options.Nodes.MaxResultBytes = 1024);
        await harness.OpenNodeAsync();

        var pending = harness.CallAsync("node.invoke", new { nodeId = NodeHarness.NodeId, command = "system.which", idempotencyKey = "k" });
        var request = await harness.WaitForInvokeAsync("system.which");
        var huge = await harness.AnswerAsync(request, new { data = new string('x', 5000) });

        Assert.False(huge.Ok);
        Assert.Contains("larger than 1024", huge.Error!.Message, StringComparison.Ordinal);
        var reply = await pending;
        Assert.False(reply.Ok);
        Assert.Contains("PAYLOAD_TOO_LARGE", reply.Error!.DetailsJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Node_invoke_refuses_system_run_undeclared_commands_and_admin_only_commands_without_admin()
    {
        using var harness = GatewayHarness.Create();
        await harness.OpenNodeAsync();

        foreach (var command in new[] { "system.run", "system.run.prepare" })
        {
            var reply = await harness.CallAsync("node.invoke", new { nodeId = NodeHarness.NodeId, command, idempotencyKey = "k" });
            Assert.False(reply.Ok);
            Assert.Contains("exec tool", reply.Error!.Message, StringComparison.Ordinal);
        }

        var undeclared = await harness.CallAsync("node.invoke", new { nodeId = NodeHarness.NodeId, command = "camera.snap", idempotencyKey = "k" });
        Assert.Contains("does not declare", undeclared.Error!.Message, StringComparison.Ordinal);

        var adminOnly = await harness.CallAsync("node.invoke", new { nodeId = NodeHarness.NodeId, command = "fs.listDir", idempotencyKey = "k" }, OperatorWrite);
        Assert.Equal(GatewayErrorCodes.Forbidden, adminOnly.Error!.Code);
        Assert.DoesNotContain(harness.Events.Events, e => e.Name == "node.invoke.request");
    }

    [Fact]
    public async Task A_node_disconnecting_fails_its_pending_invokes_at_once()
    {
        using var harness = GatewayHarness.Create();
        await harness.OpenNodeAsync();

        var pending = harness.CallAsync("node.invoke", new { nodeId = NodeHarness.NodeId, command = "system.which", idempotencyKey = "k" });
        await harness.WaitForInvokeAsync("system.which");
        await harness.CloseAsync(NodeHarness.NodeConnection);

        var reply = await pending;
        Assert.False(reply.Ok);
        Assert.Contains("disconnected", reply.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(0, await harness.Read(context => context.Nodes.Invoker.PendingCount));
    }

    [Fact]
    public async Task A_timed_out_invoke_is_cancelled_on_the_node()
    {
        using var harness = GatewayHarness.Create();
        await harness.OpenNodeAsync();

        var pending = harness.CallAsync("node.invoke", new { nodeId = NodeHarness.NodeId, command = "system.which", idempotencyKey = "k", timeoutMs = 2000 });
        var request = await harness.WaitForInvokeAsync("system.which");
        Assert.Equal(2000, request.Event.Payload.GetProperty("timeoutMs").GetInt64());
        harness.Time.Advance(TimeSpan.FromSeconds(3));

        var reply = await pending;
        Assert.False(reply.Ok);
        Assert.Contains("TIMEOUT", reply.Error!.DetailsJson, StringComparison.Ordinal);
        var cancel = await harness.Events.WaitForAsync(e => e.Name == "node.invoke.cancel", "cancel");
        Assert.Equal(request.Id, cancel.Payload.GetProperty("invokeId").GetString());
        Assert.Equal([NodeHarness.NodeConnection], cancel.Source!.Audience!);
    }

    [Fact]
    public async Task Pending_invokes_per_tenant_are_bounded()
    {
        using var harness = GatewayHarness.Create(options => options.Nodes.MaxPendingInvokes = 1);
        await harness.OpenNodeAsync();

        var first = harness.CallAsync("node.invoke", new { nodeId = NodeHarness.NodeId, command = "system.which", idempotencyKey = "a" });
        var request = await harness.WaitForInvokeAsync("system.which");
        var second = await harness.CallAsync("node.invoke", new { nodeId = NodeHarness.NodeId, command = "system.which", idempotencyKey = "b" });

        Assert.False(second.Ok);
        Assert.Contains("too many node invokes", second.Error!.Message, StringComparison.Ordinal);
        await harness.AnswerAsync(request, new { });
        Assert.True((await first).Ok);
    }

    [Fact]
    public async Task Node_role_methods_are_refused_to_operators_and_unmatched_exec_events_say_so()
    {
        using var harness = GatewayHarness.Create();
        await harness.OpenNodeAsync();

        var asOperator = await harness.CallAsync("node.invoke.result", new { id = "x", nodeId = "y", ok = true });
        Assert.Equal(GatewayErrorCodes.Forbidden, asOperator.Error!.Code);

        var stray = await harness.CallAsNodeAsync("node.event", new { @event = "exec.finished", payloadJSON = """{"runId":"nope","sessionKey":"agent:main:main"}""" });
        var payload = GatewayHarness.Payload(stray);
        Assert.True(payload.GetProperty("ok").GetBoolean());
        Assert.False(payload.GetProperty("handled").GetBoolean());
        Assert.Equal("unmatched_exec_event", payload.GetProperty("reason").GetString());

        var stats = GatewayHarness.Payload(await harness.CallAsNodeAsync("node.event", new { @event = "node.host.stats", payloadJSON = """{"cpuCount":2}""" }));
        Assert.True(stats.GetProperty("handled").GetBoolean());
    }

    [Fact]
    public async Task Progress_is_ordered_bounded_and_only_from_the_target_socket()
    {
        using var harness = GatewayHarness.Create(options => options.Nodes.MaxProgressBytes = 10);
        await harness.OpenNodeAsync();
        await harness.OpenNodeAsync("evil-conn", deviceId: "evil-node");

        var pending = harness.CallAsync("node.invoke", new { nodeId = NodeHarness.NodeId, command = "system.which", idempotencyKey = "k" });
        var request = await harness.WaitForInvokeAsync("system.which");

        Assert.True((await harness.CallAsNodeAsync("node.invoke.progress", new { invokeId = request.Id, nodeId = NodeHarness.NodeId, seq = 0, chunk = "abc" })).Ok);
        Assert.Contains("out of order", (await harness.CallAsNodeAsync("node.invoke.progress", new { invokeId = request.Id, nodeId = NodeHarness.NodeId, seq = 5, chunk = "x" })).Error!.Message, StringComparison.Ordinal);
        Assert.Contains("over its limit", (await harness.CallAsNodeAsync("node.invoke.progress", new { invokeId = request.Id, nodeId = NodeHarness.NodeId, seq = 1, chunk = new string('y', 20) })).Error!.Message, StringComparison.Ordinal);
        Assert.False((await harness.CallAsNodeAsync("node.invoke.progress", new { invokeId = request.Id, nodeId = NodeHarness.NodeId, seq = 1, chunk = "z" }, "evil-conn")).Ok);
        Assert.False((await harness.CallAsNodeAsync("node.invoke.progress", new { invokeId = request.Id, nodeId = NodeHarness.NodeId, seq = 1, chunk = new string('c', 16385) })).Ok);

        await harness.AnswerAsync(request, new { });
        Assert.True((await pending).Ok);
    }
}
