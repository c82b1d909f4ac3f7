using System.Text.Json;
using OpenClaw.Grains.Agent;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.Tests.UserGrainTests;

/// <summary>Exec approvals: tools.exec.ask, who may answer, first answer wins, expiry, no approver connected.</summary>
public sealed class ExecApprovalTests
{
    private const string Approver = "approver-conn";
    private static readonly string[] ApproverScopes = [GatewayMethodCatalog.ScopeApprovals];

    private static async Task<GatewayHarness> AskingHarnessAsync(string ask = "always", bool approver = true, Action<UserGrainOptions>? configure = null)
    {
        var harness = GatewayHarness.Create(configure);
        await harness.OkAsync("config.patch", new { raw = new { tools = new { exec = new { ask } } } });
        await harness.OpenNodeAsync();
        if (approver)
        {
            await harness.OpenOperatorAsync(Approver, ApproverScopes, ["exec-approvals"]);
        }

        return harness;
    }

    /// <summary>Starts exec and plays the node up to the approval request.</summary>
    private static async Task<(Task<ToolResult> Exec, RecordedEvent Requested)> ExecUntilApprovalAsync(GatewayHarness harness, string command = "echo hi")
    {
        var exec = harness.StartExecAsync(new { command });
        var prepare = await harness.WaitForInvokeAsync("system.run.prepare");
        await harness.AnswerAsync(prepare, NodeHarness.PreparedPlan(command));
        var approvals = await harness.WaitForInvokeAsync("system.execApprovals.get");
        await harness.AnswerAsync(approvals, new { exists = true, file = new { version = 1 } });
        var requested = await harness.Events.WaitForAsync(e => e.Name == "exec.approval.requested", "approval requested");
        return (exec, requested);
    }

    private static Task<GatewayReply> ResolveAsync(GatewayHarness harness, string id, string decision, IReadOnlyList<string>? scopes = null, string connection = Approver) =>
        harness.CallAsync("exec.approval.resolve", new { id, decision }, scopes ?? ApproverScopes, connection);

    [Fact]
    public async Task Allow_once_runs_the_prepared_plan_and_tells_only_approvers()
    {
        using var harness = await AskingHarnessAsync();
        var (exec, requested) = await ExecUntilApprovalAsync(harness);

        Assert.Equal(GatewayMethodCatalog.ScopeApprovals, requested.Source!.RequiredScope);
        Assert.Equal(["exec-approvals", "approvals"], requested.Source.RequiredAnyCap!);
        Assert.Equal("exec", requested.Payload.GetProperty("approvalKind").GetString());
        var request = requested.Payload.GetProperty("request");
        Assert.Equal("/bin/sh -lc \"echo hi\"", request.GetProperty("command").GetString());
        Assert.Equal("node", request.GetProperty("host").GetString());
        Assert.Equal(NodeHarness.NodeId, request.GetProperty("nodeId").GetString());
        Assert.Equal("run-exec-1", request.GetProperty("runId").GetString());
        Assert.Equal("call_exec_1", request.GetProperty("toolCallId").GetString());
        Assert.Equal(["allow-once", "deny"], request.GetProperty("allowedDecisions").EnumerateArray().Select(e => e.GetString()!));
        Assert.Equal("/home/node", request.GetProperty("systemRunPlan").GetProperty("cwd").GetString());
        var id = requested.Payload.GetProperty("id").GetString()!;
        var created = requested.Payload.GetProperty("createdAtMs").GetInt64();
        Assert.Equal(created + (long)NodeOptions.DefaultApprovalTimeout.TotalMilliseconds, requested.Payload.GetProperty("expiresAtMs").GetInt64());

        var listed = GatewayHarness.Payload(await harness.CallAsync("exec.approval.list", "{}", ApproverScopes, Approver));
        Assert.Equal(id, Assert.Single(listed.EnumerateArray()).GetProperty("id").GetString());

        Assert.True((await ResolveAsync(harness, id, "allow-once")).Ok);
        var resolved = await harness.Events.WaitForAsync(e => e.Name == "exec.approval.resolved", "resolved");
        Assert.Equal("allow-once", resolved.Payload.GetProperty("decision").GetString());
        Assert.Equal("approver", resolved.Payload.GetProperty("resolvedBy").GetString());
        Assert.Equal(GatewayMethodCatalog.ScopeApprovals, resolved.Source!.RequiredScope);

        var run = await harness.WaitForInvokeAsync("system.run");
        Assert.True(run.Params.GetProperty("approved").GetBoolean());
        Assert.Equal("allow-once", run.Params.GetProperty("approvalDecision").GetString());
        Assert.Equal(id, run.Params.GetProperty("runId").GetString());
        await harness.AnswerAsync(run, NodeHarness.RunOutput("hi\n"));
        Assert.False((await exec).IsError);

        var history = GatewayHarness.Payload(await harness.CallAsync("approval.history", "{}", ApproverScopes, Approver));
        Assert.Equal("allow-once", Assert.Single(history.GetProperty("approvals").EnumerateArray()).GetProperty("decision").GetString());
    }

    [Fact]
    public async Task Deny_ends_the_call_with_exec_denied_and_nothing_runs()
    {
        using var harness = await AskingHarnessAsync();
        var (exec, requested) = await ExecUntilApprovalAsync(harness);

        Assert.True((await ResolveAsync(harness, requested.Payload.GetProperty("id").GetString()!, "deny")).Ok);

        var error = await Assert.ThrowsAsync<AgentToolException>(() => exec);
        Assert.Equal(ExecTool.DeniedCode, error.Code);
        Assert.StartsWith("exec denied", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(harness.Events.Events, e => e.Name == "node.invoke.request" && e.Payload.GetProperty("command").GetString() == "system.run");
    }

    [Fact]
    public async Task An_unanswered_approval_expires_and_cannot_be_answered_later()
    {
        using var harness = await AskingHarnessAsync(configure: options => options.Nodes.ApprovalTimeout = TimeSpan.FromMinutes(1));
        var (exec, requested) = await ExecUntilApprovalAsync(harness);

        harness.Time.Advance(TimeSpan.FromMinutes(2));

        var error = await Assert.ThrowsAsync<AgentToolException>(() => exec);
        Assert.Equal(ExecTool.ExpiredCode, error.Code);
        var late = await ResolveAsync(harness, requested.Payload.GetProperty("id").GetString()!, "allow-once");
        Assert.False(late.Ok);
        Assert.Contains("expired", late.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_no_approver_connected_exec_is_refused_at_once()
    {
        using var harness = await AskingHarnessAsync(approver: false);
        // An operator with the scope but without an approvals cap does not count (it would not get the event).
        await harness.OpenOperatorAsync("no-cap", [GatewayMethodCatalog.ScopeAdmin]);

        var exec = harness.StartExecAsync(new { command = "echo hi" });
        var prepare = await harness.WaitForInvokeAsync("system.run.prepare");
        await harness.AnswerAsync(prepare, NodeHarness.PreparedPlan("echo hi"));

        var error = await Assert.ThrowsAsync<AgentToolException>(() => exec);
        Assert.Equal(ExecTool.NoApproverCode, error.Code);
        Assert.Contains("askFallback=deny", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(harness.Events.Events, e => e.Name == "exec.approval.requested");
        Assert.DoesNotContain(harness.Events.Events, e => e.Name == "node.invoke.request" && e.Payload.GetProperty("command").GetString() == "system.run");
    }

    [Fact]
    public async Task Resolving_needs_operator_approvals_and_the_first_answer_wins()
    {
        using var harness = await AskingHarnessAsync();
        var (exec, requested) = await ExecUntilApprovalAsync(harness);
        var id = requested.Payload.GetProperty("id").GetString()!;

        var writeOnly = await ResolveAsync(harness, id, "allow-once", [GatewayMethodCatalog.ScopeWrite, GatewayMethodCatalog.ScopeRead], "writer");
        Assert.Equal(GatewayErrorCodes.Forbidden, writeOnly.Error!.Code);
        var pairingOnly = await ResolveAsync(harness, id, "allow-once", [GatewayMethodCatalog.ScopePairing], "pairer");
        Assert.Equal(GatewayErrorCodes.Forbidden, pairingOnly.Error!.Code);

        var first = ResolveAsync(harness, id, "allow-once");
        var second = ResolveAsync(harness, id, "deny", connection: "approver-2");
        Assert.True((await first).Ok);
        var lost = await second;
        Assert.False(lost.Ok);
        Assert.Contains("already resolved", lost.Error!.Message, StringComparison.Ordinal);

        var run = await harness.WaitForInvokeAsync("system.run");
        await harness.AnswerAsync(run, NodeHarness.RunOutput("hi\n"));
        Assert.False((await exec).IsError);
        Assert.Single(harness.Events.Events, e => e.Name == "exec.approval.resolved");
        var got = GatewayHarness.Payload(await harness.CallAsync("exec.approval.get", new { id }, ApproverScopes, Approver));
        Assert.Equal("allow-once", got.GetProperty("decision").GetString());

        var unknown = await ResolveAsync(harness, "no-such-id", "allow-once");
        Assert.Equal(GatewayErrorCodes.ApprovalNotFound, unknown.Error!.Code);
    }

    [Fact]
    public async Task Allow_always_on_miss_remembers_the_command_and_does_not_ask_again()
    {
        using var harness = await AskingHarnessAsync(ask: "on-miss");
        var (exec, requested) = await ExecUntilApprovalAsync(harness);
        Assert.Contains("allow-always", requested.Payload.GetProperty("request").GetProperty("allowedDecisions").EnumerateArray().Select(e => e.GetString()));

        Assert.True((await ResolveAsync(harness, requested.Payload.GetProperty("id").GetString()!, "allow-always")).Ok);
        var run = await harness.WaitForInvokeAsync("system.run");
        await harness.AnswerAsync(run, NodeHarness.RunOutput("hi\n"));
        await exec;

        var policy = GatewayHarness.Payload(await harness.CallAsync("exec.approvals.get", "{}"));
        Assert.Equal(["/bin/sh -lc \"echo hi\""], policy.GetProperty("allowlist").EnumerateArray().Select(e => e.GetString()!));

        var again = harness.StartExecAsync(new { command = "echo hi" });
        var prepare = await harness.WaitForInvokeAsync("system.run.prepare", index: 1);
        await harness.AnswerAsync(prepare, NodeHarness.PreparedPlan("echo hi"));
        var secondRun = await harness.WaitForInvokeAsync("system.run", index: 1);
        Assert.True(secondRun.Params.GetProperty("approved").GetBoolean());
        Assert.Equal("allow-always", secondRun.Params.GetProperty("approvalDecision").GetString());
        await harness.AnswerAsync(secondRun, NodeHarness.RunOutput("hi\n"));
        Assert.False((await again).IsError);
        Assert.Single(harness.Events.Events, e => e.Name == "exec.approval.requested");
    }

    [Fact]
    public async Task Policy_documents_are_admin_only_and_bounded()
    {
        using var harness = GatewayHarness.Create(options => options.Nodes.MaxPolicyDocumentBytes = 1024);

        var notAdmin = await harness.CallAsync("exec.approvals.set", new { file = new { version = 1 } }, ApproverScopes);
        Assert.Equal(GatewayErrorCodes.Forbidden, notAdmin.Error!.Code);
        var tooBig = await harness.CallAsync("exec.approvals.set", new { file = new { version = 1, pad = new string('x', 2000) } });
        Assert.False(tooBig.Ok);

        var set = await harness.OkAsync("exec.approvals.set", new { file = new { version = 1, defaults = new { } } });
        var got = await harness.OkAsync("exec.approvals.get");
        Assert.Equal(set.GetProperty("hash").GetString(), got.GetProperty("hash").GetString());
        Assert.Equal(1, got.GetProperty("file").GetProperty("version").GetInt32());

        await harness.OkAsync("exec.approvals.node.set", new { nodeId = "n1", file = new { version = 2 } });
        Assert.Equal(2, (await harness.OkAsync("exec.approvals.node.get", new { nodeId = "n1" })).GetProperty("file").GetProperty("version").GetInt32());
        Assert.False((await harness.OkAsync("exec.approvals.node.get", new { nodeId = "n2" })).GetProperty("exists").GetBoolean());
    }

    [Fact]
    public async Task A_client_request_can_be_waited_for_and_resolved()
    {
        using var harness = GatewayHarness.Create();
        var missingPlan = await harness.CallAsync("exec.approval.request", new { command = "ls", host = "node" });
        Assert.False(missingPlan.Ok);

        var accepted = await harness.OkAsync("exec.approval.request", new { command = "ls", host = "node", systemRunPlan = new { argv = new[] { "ls" } } });
        var id = accepted.GetProperty("id").GetString()!;
        var wait = harness.CallAsync("exec.approval.waitDecision", new { id });
        Assert.True((await harness.CallAsync("approval.resolve", new { id, decision = "allow-always" })).Ok);

        var decided = GatewayHarness.Payload(await wait);
        Assert.Equal("allow-always", decided.GetProperty("decision").GetString());
        Assert.Equal("resolved", GatewayHarness.Payload(await harness.CallAsync("approval.get", new { id })).GetProperty("status").GetString());
    }
}
