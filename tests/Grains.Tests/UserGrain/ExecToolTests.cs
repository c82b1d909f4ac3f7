using System.Text.Json;
using OpenClaw.Grains.Agent;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.Tests.UserGrainTests;

/// <summary>The exec tool: only ever on the tenant's own node, in the reference's sequence, with clear refusals.</summary>
public sealed class ExecToolTests
{
    [Fact]
    public async Task Exec_runs_on_the_sole_node_prepare_then_run_with_progress_and_the_reference_result()
    {
        using var harness = GatewayHarness.Create();
        await harness.OpenNodeAsync();
        var updates = new List<string>();

        var exec = harness.StartExecAsync(new { command = "echo hi", host = "node", env = new { A = "1" } }, updates: updates);
        var prepare = await harness.WaitForInvokeAsync("system.run.prepare");
        Assert.Equal(["/bin/sh", "-lc", "echo hi"], prepare.Params.GetProperty("command").EnumerateArray().Select(e => e.GetString()!));
        Assert.Equal("echo hi", prepare.Params.GetProperty("rawCommand").GetString());
        Assert.Equal("main", prepare.Params.GetProperty("agentId").GetString());
        Assert.Equal(GatewayHarness.HarnessSession, prepare.Params.GetProperty("sessionKey").GetString());
        Assert.Equal("1", prepare.Params.GetProperty("env").GetProperty("A").GetString());
        Assert.Equal("off", prepare.Params.GetProperty("ask").GetString());
        await harness.AnswerAsync(prepare, NodeHarness.PreparedPlan("echo hi"));

        var run = await harness.WaitForInvokeAsync("system.run");
        Assert.Equal("/home/node", run.Params.GetProperty("systemRunPlan").GetProperty("cwd").GetString());
        Assert.Equal("/home/node", run.Params.GetProperty("cwd").GetString());
        Assert.False(run.Params.GetProperty("approved").GetBoolean());
        Assert.Equal((long)NodeOptions.DefaultExecTimeout.TotalMilliseconds, run.Params.GetProperty("timeoutMs").GetInt64());
        Assert.True(run.Event.Payload.TryGetProperty("idempotencyKey", out _));
        var runId = run.Params.GetProperty("runId").GetString()!;

        Assert.True((await harness.CallAsNodeAsync("node.invoke.progress", new { invokeId = run.Id, nodeId = run.NodeId, seq = 0, chunk = "hi" })).Ok);
        var finished = GatewayHarness.Payload(await harness.CallAsNodeAsync("node.event", new
        {
            @event = "exec.finished",
            payloadJSON = JsonSerializer.Serialize(new { sessionKey = GatewayHarness.HarnessSession, runId, host = "node", exitCode = 0 }),
        }));
        Assert.True(finished.GetProperty("handled").GetBoolean());
        await harness.AnswerAsync(run, NodeHarness.RunOutput("hi\n"));

        var result = await exec;
        Assert.False(result.IsError);
        Assert.Equal($"Node: {NodeHarness.NodeId}\n\nhi\n", result.Text);
        var details = JsonDocument.Parse(result.DetailsJson!).RootElement;
        Assert.Equal("completed", details.GetProperty("status").GetString());
        Assert.Equal(0, details.GetProperty("exitCode").GetInt32());
        Assert.Equal("hi\n", details.GetProperty("aggregated").GetString());
        Assert.Equal(NodeHarness.NodeId, details.GetProperty("nodeId").GetString());
        Assert.True(details.TryGetProperty("durationMs", out _));
        Assert.Contains("hi", updates);
        Assert.DoesNotContain(harness.Events.Events, e => e.Name == "node.invoke.request" && e.Payload.GetProperty("command").GetString() == "system.execApprovals.get");
    }

    [Fact]
    public async Task A_failing_command_is_an_error_result_with_its_output()
    {
        using var harness = GatewayHarness.Create();
        await harness.OpenNodeAsync(commands: ["system.run"]);

        var exec = harness.StartExecAsync(new { command = "false" });
        var run = await harness.WaitForInvokeAsync("system.run");
        await harness.AnswerAsync(run, NodeHarness.RunOutput("oops\n", exitCode: 2));

        var result = await exec;
        Assert.True(result.IsError);
        Assert.Contains("(Command exited with code 2)", result.Text, StringComparison.Ordinal);
        Assert.Equal("failed", JsonDocument.Parse(result.DetailsJson!).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Exec_with_no_node_connected_fails_clearly()
    {
        using var harness = GatewayHarness.Create();
        await harness.OpenOperatorAsync("op", [GatewayMethodCatalog.ScopeAdmin]);

        var error = await Assert.ThrowsAsync<AgentToolException>(() => harness.StartExecAsync(new { command = "ls" }));
        Assert.Equal(ExecTool.NoNodeCode, error.Code);
        Assert.Contains("exec needs a connected node", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gateway")]
    [InlineData("sandbox")]
    public async Task Exec_never_runs_on_the_gateway(string host)
    {
        using var harness = GatewayHarness.Create();
        await harness.OpenNodeAsync();

        var error = await Assert.ThrowsAsync<AgentToolException>(() => harness.StartExecAsync(new { command = "id", host }));
        Assert.Equal(ExecTool.HostRefusedCode, error.Code);
        Assert.DoesNotContain(harness.Events.Events, e => e.Name == "node.invoke.request");
    }

    [Fact]
    public async Task Exec_with_several_nodes_lists_them_and_runs_on_the_configured_one()
    {
        using var harness = GatewayHarness.Create();
        await harness.OpenNodeAsync();
        await harness.OpenNodeAsync("node-conn-2", deviceId: "second-node");

        var error = await Assert.ThrowsAsync<AgentToolException>(() => harness.StartExecAsync(new { command = "id" }));
        Assert.Equal(ExecTool.AmbiguousNodeCode, error.Code);
        Assert.Contains(NodeHarness.NodeId, error.Message, StringComparison.Ordinal);
        Assert.Contains("second-node", error.Message, StringComparison.Ordinal);

        await harness.OkAsync("config.patch", new { raw = new { tools = new { exec = new { node = "second-node" } } } });
        var exec = harness.StartExecAsync(new { command = "id" });
        var prepare = await harness.WaitForInvokeAsync("system.run.prepare", "node-conn-2");
        Assert.Equal("second-node", prepare.NodeId);
        await harness.CloseAsync("node-conn-2");
        var failed = await Assert.ThrowsAsync<AgentToolException>(() => exec);
        Assert.Contains("disconnected", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exec_naming_another_tenants_node_is_refused()
    {
        using var victim = GatewayHarness.Create();
        using var attacker = GatewayHarness.Create();
        await victim.OpenNodeAsync();
        await attacker.OpenNodeAsync("attacker-conn", deviceId: "attacker-node");

        var error = await Assert.ThrowsAsync<AgentToolException>(() => attacker.StartExecAsync(new { command = "id", node = NodeHarness.NodeId }));
        Assert.Equal(ExecTool.NoNodeCode, error.Code);
        Assert.DoesNotContain(victim.Events.Events, e => e.Name == "node.invoke.request");
    }

    [Fact]
    public async Task A_node_disconnecting_during_system_run_ends_the_call_with_an_error()
    {
        using var harness = GatewayHarness.Create();
        await harness.OpenNodeAsync(commands: ["system.run"]);

        var exec = harness.StartExecAsync(new { command = "sleep 100" });
        await harness.WaitForInvokeAsync("system.run");
        await harness.CloseAsync(NodeHarness.NodeConnection);

        var result = await exec;
        Assert.True(result.IsError);
        Assert.Contains("disconnected", result.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Aborting_the_run_cancels_the_invoke_on_the_node()
    {
        using var harness = GatewayHarness.Create();
        await harness.OpenNodeAsync();
        using var abort = new CancellationTokenSource();

        var exec = harness.StartExecAsync(new { command = "sleep 100" }, abort.Token);
        var prepare = await harness.WaitForInvokeAsync("system.run.prepare");
        abort.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => exec);
        var cancel = await harness.Events.WaitForAsync(e => e.Name == "node.invoke.cancel", "cancel");
        Assert.Equal(prepare.Id, cancel.Payload.GetProperty("invokeId").GetString());
    }

    [Fact]
    public async Task Bad_arguments_are_clear_tool_errors()
    {
        using var harness = GatewayHarness.Create();
        await harness.OpenNodeAsync();

        Assert.Equal("INVALID_ARGUMENTS", (await Assert.ThrowsAsync<AgentToolException>(() => harness.StartExecAsync(new { command = "" }))).Code);
        Assert.Equal("INVALID_ARGUMENTS", (await Assert.ThrowsAsync<AgentToolException>(() => harness.StartExecAsync(new { command = "x", workdir = "   " }))).Code);
        Assert.Equal("INVALID_ARGUMENTS", (await Assert.ThrowsAsync<AgentToolException>(() => harness.StartExecAsync(new { command = "x", env = new { A = 1 } }))).Code);
        Assert.Equal("INVALID_ARGUMENTS", (await Assert.ThrowsAsync<AgentToolException>(() => harness.StartExecAsync(new { command = new string('x', 40_000) }))).Code);
    }

    [Fact]
    public async Task Tools_exec_config_is_validated_and_shown()
    {
        using var harness = GatewayHarness.Create();

        var bad = await harness.CallAsync("config.patch", new { raw = new { tools = new { exec = new { ask = "sometimes" } } } });
        Assert.False(bad.Ok);
        var unknown = await harness.CallAsync("config.patch", new { raw = new { tools = new { exec = new { security = "full" } } } });
        Assert.False(unknown.Ok);

        await harness.OkAsync("config.patch", new { raw = new { tools = new { exec = new { ask = "on-miss", node = "n1" } } } });
        var exec = (await harness.OkAsync("config.get")).GetProperty("config").GetProperty("tools").GetProperty("exec");
        Assert.Equal("on-miss", exec.GetProperty("ask").GetString());
        Assert.Equal("n1", exec.GetProperty("node").GetString());

        await harness.OkAsync("config.patch", new { raw = new { tools = new { exec = (object?)null } } });
        exec = (await harness.OkAsync("config.get")).GetProperty("config").GetProperty("tools").GetProperty("exec");
        Assert.Equal("off", exec.GetProperty("ask").GetString());
    }
}
