using OpenClaw.Grains.Interfaces;
using OpenClaw.Grains.Llm;

namespace OpenClaw.Grains.Tests.UserGrainTests;

/// <summary><c>agent</c>: accepted first, the final answer through <c>agent.final</c>; and <c>agent.wait</c>.</summary>
public sealed class AgentMethodTests
{
    [Fact]
    public async Task Agent_is_accepted_at_once_and_its_final_answer_carries_the_reply()
    {
        using var harness = GatewayHarness.Create();
        var accepted = await harness.CallAsync("agent", new { message = "say hello", deliver = false, timeout = 600, idempotencyKey = "ag-1" });

        Assert.True(accepted.Ok);
        Assert.True(accepted.FinalPending);
        Assert.Equal("ag-1", accepted.RunId);
        var payload = GatewayHarness.Payload(accepted);
        Assert.Equal("accepted", payload.GetProperty("status").GetString());
        Assert.Equal("agent:main:main", payload.GetProperty("sessionKey").GetString());
        Assert.Equal("main", payload.GetProperty("agentId").GetString());
        Assert.Equal(harness.Time.GetUtcNow().ToUnixTimeMilliseconds(), payload.GetProperty("acceptedAt").GetInt64());

        var final = await harness.CallAsync(GatewayMethodCatalog.AgentFinal, new { runId = "ag-1" });
        Assert.True(final.Ok);
        Assert.False(final.FinalPending);
        var result = GatewayHarness.Payload(final);
        Assert.Equal("ok", result.GetProperty("status").GetString());
        Assert.Equal("completed", result.GetProperty("summary").GetString());
        var reply = result.GetProperty("result").GetProperty("payloads")[0];
        Assert.Equal("Hello from the mock model.", reply.GetProperty("text").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, reply.GetProperty("mediaUrl").ValueKind);
        Assert.Equal(16, result.GetProperty("result").GetProperty("meta").GetProperty("agentMeta").GetProperty("usage").GetProperty("total").GetInt32());

        // Agent runs skip the chat preparation phases, as in the reference (conn 7).
        Assert.DoesNotContain(harness.Events.RunEvents("ag-1"), e => e.State == "status" || e.Stream == "run_status");
        Assert.Contains(harness.Events.RunEvents("ag-1"), e => e.State == "final");
    }

    [Fact]
    public async Task The_final_answer_waits_for_the_run()
    {
        using var harness = GatewayHarness.Create();
        var stream = harness.Provider.Control();
        await harness.CallAsync("agent", new { message = "hi", idempotencyKey = "ag-2", sessionKey = "agent:main:cli" });
        var final = harness.CallAsync(GatewayMethodCatalog.AgentFinal, new { runId = "ag-2" });
        await harness.Provider.Started.Task;

        // Other calls are answered meanwhile (the final waits at an await point); this one runs
        // after the final's call on the single-threaded activation, so a final that did not wait
        // for the run would be complete by now.
        Assert.True((await harness.CallAsync("sessions.list", "{}")).Ok);
        Assert.False(final.IsCompleted);

        await stream.WriteAsync(new LlmTextDelta("done"));
        stream.Complete();
        var reply = await final;
        Assert.True(reply.Ok);
        Assert.Equal("done", GatewayHarness.Payload(reply).GetProperty("result").GetProperty("payloads")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_failed_run_is_an_unavailable_final_with_the_error_payload()
    {
        using var harness = GatewayHarness.Create();
        harness.Provider.FailWith = new LlmProviderException("No API key is configured for openai.");
        await harness.CallAsync("agent", new { message = "hi", idempotencyKey = "ag-3" });
        var final = await harness.CallAsync(GatewayMethodCatalog.AgentFinal, new { runId = "ag-3" });

        Assert.False(final.Ok);
        Assert.Equal(GatewayErrorCodes.Unavailable, final.Error!.Code);
        Assert.Equal("No API key is configured for openai.", final.Error.Message);
        var payload = GatewayHarness.Payload(final);
        Assert.Equal("ag-3", payload.GetProperty("runId").GetString());
        Assert.Equal("error", payload.GetProperty("status").GetString());
        Assert.Equal("No API key is configured for openai.", payload.GetProperty("summary").GetString());
    }

    [Fact]
    public async Task A_final_that_times_out_asks_to_be_fetched_again()
    {
        using var harness = GatewayHarness.Create();
        harness.Provider.Control();
        await harness.CallAsync("agent", new { message = "hi", idempotencyKey = "ag-4" });
        var pending = harness.CallAsync(GatewayMethodCatalog.AgentFinal, new { runId = "ag-4", timeoutMs = 1000 });
        await harness.Provider.Started.Task;
        await harness.SettledAsync();
        harness.Time.Advance(TimeSpan.FromSeconds(2));
        var reply = await pending;

        Assert.False(reply.Ok);
        Assert.Equal(GatewayErrorCodes.Unavailable, reply.Error!.Code);
        Assert.True(reply.Error.Retryable);
        Assert.True(reply.FinalPending);
        Assert.Equal("ag-4", reply.RunId);
    }

    [Fact]
    public async Task The_final_never_waits_longer_than_the_call_wait_limit()
    {
        using var harness = GatewayHarness.Create(options => options.MaxCallWait = TimeSpan.FromSeconds(10));
        var stream = harness.Provider.Control();
        await harness.CallAsync("agent", new { message = "hi", idempotencyKey = "ag-7" });
        var pending = harness.CallAsync(GatewayMethodCatalog.AgentFinal, new { runId = "ag-7", timeoutMs = 60_000 });
        await harness.Provider.Started.Task;
        await harness.SettledAsync();
        harness.Time.Advance(TimeSpan.FromSeconds(11));

        var reply = await pending;
        Assert.True(reply.FinalPending);
        Assert.Equal("agent run ag-7 is still in progress", reply.Error?.Message);

        // Asked again, it gets the answer once the run is done.
        stream.Complete();
        await harness.Events.WaitForChatEndAsync("ag-7");
        Assert.True((await harness.CallAsync(GatewayMethodCatalog.AgentFinal, new { runId = "ag-7" })).Ok);
    }

    [Fact]
    public async Task The_final_of_an_unknown_run_is_an_error_not_a_hang()
    {
        using var harness = GatewayHarness.Create();
        var reply = await harness.CallAsync(GatewayMethodCatalog.AgentFinal, new { runId = "lost" });
        Assert.False(reply.Ok);
        Assert.Equal(GatewayErrorCodes.Unavailable, reply.Error!.Code);
        Assert.Equal("error", GatewayHarness.Payload(reply).GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_aborted_agent_run_finishes_with_summary_aborted()
    {
        using var harness = GatewayHarness.Create();
        var stream = harness.Provider.Control();
        await harness.CallAsync("agent", new { message = "hi", idempotencyKey = "ag-5" });
        await stream.WriteAsync(new LlmTextDelta("partial"));
        await harness.Events.WaitForAsync(e => e.RunId == "ag-5" && e.State == "delta", "delta");
        await harness.OkAsync("chat.abort", new { sessionKey = "agent:main:main" });

        var final = GatewayHarness.Payload(await harness.CallAsync(GatewayMethodCatalog.AgentFinal, new { runId = "ag-5" }));
        Assert.Equal("aborted", final.GetProperty("summary").GetString());
        Assert.True(final.GetProperty("result").GetProperty("meta").GetProperty("aborted").GetBoolean());
        Assert.Equal("partial", final.GetProperty("result").GetProperty("payloads")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_repeated_agent_request_is_accepted_again_without_a_second_run()
    {
        using var harness = GatewayHarness.Create();
        var first = await harness.CallAsync("agent", new { message = "hi", idempotencyKey = "ag-6" });
        var again = await harness.CallAsync("agent", new { message = "hi", idempotencyKey = "ag-6" });
        Assert.Equal(first.PayloadJson, again.PayloadJson);
        Assert.True(again.FinalPending);
        Assert.True((await harness.CallAsync(GatewayMethodCatalog.AgentFinal, new { runId = "ag-6" })).Ok);
        Assert.Single(harness.Provider.Calls);
    }

    [Fact]
    public async Task Agent_wait_reports_ok_timeout_and_unknown_runs()
    {
        using var harness = GatewayHarness.Create();
        await harness.CallAsync("agent", new { message = "hi", idempotencyKey = "w-1" });
        var done = await harness.OkAsync("agent.wait", new { runId = "w-1" });
        Assert.Equal("ok", done.GetProperty("status").GetString());
        Assert.True(done.TryGetProperty("endedAt", out _));

        var stream = harness.Provider.Control();
        await harness.CallAsync("agent", new { message = "hi", idempotencyKey = "w-2" });
        var waiting = harness.CallAsync("agent.wait", new { runId = "w-2", timeoutMs = 500 });
        await harness.Provider.Started.Task;
        await harness.SettledAsync();
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("timeout", GatewayHarness.Payload(await waiting).GetProperty("status").GetString());
        stream.Complete();

        var unknown = await harness.OkAsync("agent.wait", new { runId = "nope" });
        Assert.Equal("error", unknown.GetProperty("status").GetString());
        Assert.Equal("unknown run: nope", unknown.GetProperty("error").GetString());
    }
}
