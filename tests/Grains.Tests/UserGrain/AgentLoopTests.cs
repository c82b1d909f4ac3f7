using System.Text.Json;
using OpenClaw.Grains.Agent;
using OpenClaw.Grains.Gateway;
using OpenClaw.Grains.Llm;

namespace OpenClaw.Grains.Tests.UserGrainTests;

/// <summary>The agent loop of a chat run: tool rounds, their events, bounds, errors, abort and storage.</summary>
public sealed class AgentLoopTests
{
    private const string Session = GatewayHarness.HarnessSession;

    private static LlmToolCall Call(string id, string name, string args = """{"path":"notes/a.txt"}""") => new(id, name, args);

    /// <summary>write, then read, then "DONE": the reference's two-tool run.</summary>
    private static GatewayHarness TwoToolHarness(out FakeTool write, out FakeTool read, TestStateStorage? storage = null)
    {
        write = new FakeTool("write", "Successfully wrote 16 bytes to notes/a.txt", "to notes/a.txt (16 chars)");
        read = new FakeTool("read", "probe\n", "from notes/a.txt");
        var harness = GatewayHarness.Create(tools: [write, read], storage: storage);
        harness.Provider.Script = (_, n) => n switch
        {
            0 => [new LlmTextDelta("Let me write."), .. ScriptedLlmProvider.ToolTurn(Call("call_w", "write"))],
            1 => ScriptedLlmProvider.ToolTurn(Call("call_r", "read")),
            _ => ScriptedLlmProvider.AnswerTurn("DONE read=ok"),
        };
        return harness;
    }

    private static async Task<JsonElement[]> HistoryAsync(GatewayHarness harness) =>
        (await harness.OkAsync("chat.history", new { sessionKey = Session })).GetProperty("messages").EnumerateArray().ToArray();

    [Fact]
    public async Task Two_tool_run_runs_both_tools_and_ends_with_the_answer()
    {
        using var harness = TwoToolHarness(out var write, out var read);

        var runId = await harness.ChatAsync("TOOLTEST write");

        var final = harness.Events.RunEvents(runId).Single(e => e.State == "final");
        Assert.Equal("DONE read=ok", final.Payload.GetProperty("message").GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal("stop", final.Payload.GetProperty("stopReason").GetString());
        Assert.Equal(30, final.Payload.GetProperty("usage").GetProperty("input").GetInt32());
        Assert.Equal((1, 1), (write.Calls, read.Calls));
        Assert.Equal("""{"path":"notes/a.txt"}""", write.Arguments.Single());

        // Each later turn sends the tools and the tool history back to the model.
        var calls = harness.Provider.Calls;
        Assert.Equal(3, calls.Count);
        Assert.Equal(["read", "write"], calls[0].Request.Tools!.Select(t => t.Name).Order());
        Assert.Equal("auto", calls[0].Request.ToolChoice);
        var third = calls[2].Request.Messages;
        Assert.Equal(["system", "user", "assistant", "tool", "assistant", "tool"], third.Select(m => m.Role));
        Assert.Equal("Let me write.", third[2].Content);
        Assert.Equal("call_w", third[2].ToolCalls!.Single().Id);
        Assert.Equal(("call_w", "write", "Successfully wrote 16 bytes to notes/a.txt"), (third[3].ToolCallId, third[3].ToolName, third[3].Content));
    }

    [Fact]
    public async Task History_returns_tool_call_blocks_and_tool_result_messages_in_the_reference_shapes()
    {
        using var harness = TwoToolHarness(out _, out _);
        var runId = await harness.ChatAsync("TOOLTEST write");

        var messages = await HistoryAsync(harness);

        Assert.Equal(["user", "assistant", "toolResult", "assistant", "toolResult", "assistant"], messages.Select(m => m.GetProperty("role").GetString()));
        var firstTurn = messages[1];
        Assert.Equal("toolUse", firstTurn.GetProperty("stopReason").GetString());
        var blocks = firstTurn.GetProperty("content").EnumerateArray().ToArray();
        Assert.Equal(["text", "toolCall"], blocks.Select(b => b.GetProperty("type").GetString()));
        Assert.Equal("Let me write.", blocks[0].GetProperty("text").GetString());
        Assert.Equal("call_w", blocks[1].GetProperty("id").GetString());
        Assert.Equal("write", blocks[1].GetProperty("name").GetString());
        Assert.Equal("notes/a.txt", blocks[1].GetProperty("arguments").GetProperty("path").GetString());
        Assert.Equal(runId, firstTurn.GetProperty("__openclaw").GetProperty("runId").GetString());

        var result = messages[2];
        Assert.Equal("call_w", result.GetProperty("toolCallId").GetString());
        Assert.Equal("write", result.GetProperty("toolName").GetString());
        Assert.Equal("Successfully wrote 16 bytes to notes/a.txt", result.GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal("text", result.GetProperty("content")[0].GetProperty("type").GetString());
        Assert.Equal("text", result.GetProperty("details").GetProperty("kind").GetString());
        Assert.False(result.GetProperty("isError").GetBoolean());
        Assert.True(result.GetProperty("timestamp").GetInt64() > 0);

        var secondTurn = messages[3].GetProperty("content").EnumerateArray().ToArray();
        Assert.Equal(["toolCall"], secondTurn.Select(b => b.GetProperty("type").GetString()));
        Assert.Equal("stop", messages[5].GetProperty("stopReason").GetString());
        Assert.Equal("DONE read=ok", messages[5].GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task Tool_events_go_only_to_tool_events_sockets_and_item_events_to_all_in_the_reference_order()
    {
        using var harness = TwoToolHarness(out _, out _);
        var runId = await harness.ChatAsync("TOOLTEST write");

        var events = harness.Events.RunEvents(runId).ToList();
        var toolish = events.Where(e => e.Stream is "tool" or "item").Select(e => $"{e.Stream}:{e.Phase}").ToList();
        Assert.Equal(["item:start", "tool:start", "tool:result", "item:end", "item:start", "tool:start", "tool:result", "item:end"], toolish);
        Assert.All(events.Where(e => e.Stream == "tool"), e => Assert.Equal(["tool-events"], e.RequiredAnyCap!));
        Assert.All(events.Where(e => e.Stream != "tool"), e => Assert.Null(e.RequiredAnyCap));

        var start = events.First(e => e.Stream == "tool").Payload.GetProperty("data");
        Assert.Equal("write", start.GetProperty("name").GetString());
        Assert.Equal("call_w", start.GetProperty("toolCallId").GetString());
        Assert.Equal("notes/a.txt", start.GetProperty("args").GetProperty("path").GetString());
        var result = events.First(e => e.Stream == "tool" && e.Phase == "result").Payload;
        Assert.False(result.GetProperty("isHeartbeat").GetBoolean());
        var data = result.GetProperty("data");
        Assert.Equal("to notes/a.txt (16 chars)", data.GetProperty("meta").GetString());
        Assert.False(data.GetProperty("isError").GetBoolean());
        Assert.False(data.GetProperty("commandBearing").GetBoolean());
        Assert.Equal("Successfully wrote 16 bytes to notes/a.txt", data.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal("text", data.GetProperty("result").GetProperty("details").GetProperty("kind").GetString());

        var itemEnd = events.First(e => e.Stream == "item" && e.Phase == "end").Payload.GetProperty("data");
        Assert.Equal("tool:call_w", itemEnd.GetProperty("itemId").GetString());
        Assert.Equal("tool", itemEnd.GetProperty("kind").GetString());
        Assert.Equal("completed", itemEnd.GetProperty("status").GetString());
        Assert.Equal("Write to notes/a.txt (16 chars)", itemEnd.GetProperty("title").GetString());
        Assert.Equal("running", events.First(e => e.Stream == "item").Payload.GetProperty("data").GetProperty("status").GetString());

        // Text written before the tool call is out before the tool starts; chat events carry no tool fields.
        var firstDelta = events.FindIndex(e => e.State == "delta");
        Assert.True(firstDelta >= 0 && firstDelta < events.FindIndex(e => e.Stream == "item"));
        Assert.All(events.Where(e => e.Name == "chat"), e => Assert.DoesNotContain("tool", e.Json, StringComparison.OrdinalIgnoreCase));

        // Session subscribers without the cap get the same payload as session.tool.
        var sessionTool = harness.Events.Events.Where(e => e.Name == "session.tool").ToList();
        Assert.Equal(4, sessionTool.Count);
        Assert.All(sessionTool, e => Assert.True(e.SessionSubscribersOnly));
        Assert.All(sessionTool, e => Assert.Equal(["tool-events"], e.ExcludedCaps!));
        Assert.Equal(events.First(e => e.Stream == "tool").Json, sessionTool[0].Json);

        // session.message for each tool turn and result.
        var messages = harness.Events.Events.Where(e => e.Name == "session.message").Select(e => e.Payload.GetProperty("message").GetProperty("role").GetString());
        Assert.Equal(["user", "assistant", "toolResult", "assistant", "toolResult", "assistant"], messages);
    }

    [Fact]
    public async Task A_model_that_calls_tools_forever_is_stopped_at_MaxToolRounds()
    {
        var tool = new FakeTool("read", "again");
        using var harness = GatewayHarness.Create(o => o.MaxToolRounds = 3, tools: [tool]);
        harness.Provider.Script = (_, n) => ScriptedLlmProvider.ToolTurn(Call("call_" + n, "read"));

        var runId = await harness.ChatAsync("loop");

        var end = harness.Events.RunEvents(runId).Single(e => e.State == "error");
        Assert.Contains("stopped after 3 tool rounds", end.Payload.GetProperty("errorMessage").GetString());
        Assert.Equal("tool_loop", end.Payload.GetProperty("errorKind").GetString());
        Assert.Equal(3, tool.Calls);
        Assert.Equal(4, harness.Provider.Calls.Count);
        var messages = await HistoryAsync(harness);
        var last = messages[^1];
        Assert.Equal("toolResult", last.GetProperty("role").GetString());
        Assert.True(last.GetProperty("isError").GetBoolean());
        var session = (await harness.OkAsync("sessions.list")).GetProperty("sessions").EnumerateArray().Single();
        Assert.Equal("failed", session.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_tool_that_exceeds_ToolTimeout_is_cancelled_and_the_model_gets_a_timeout_error()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sawCancel = false;
        var slow = new FakeTool("exec", async (_, _, token) =>
        {
            started.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            catch (OperationCanceledException)
            {
                sawCancel = true;
                throw;
            }

            return ToolResult.Ok("never");
        });
        using var harness = GatewayHarness.Create(o => { o.ToolTimeout = TimeSpan.FromMinutes(2); o.RunTimeout = TimeSpan.FromHours(1); }, tools: [slow]);
        harness.Provider.Script = (_, n) => n == 0 ? ScriptedLlmProvider.ToolTurn(Call("call_x", "exec", """{"command":"sleep 1000"}""")) : ScriptedLlmProvider.AnswerTurn("gave up");

        var ack = await harness.OkAsync("chat.send", new { sessionKey = Session, message = "run it", idempotencyKey = "t-1" });
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        harness.Time.Advance(TimeSpan.FromMinutes(3));
        await harness.Events.WaitForChatEndAsync("t-1");

        Assert.True(sawCancel);
        var result = harness.Provider.Calls[1].Request.Messages.Single(m => m.Role == "tool");
        Assert.True(result.IsError);
        Assert.Contains("timed out after 120 s", result.Content);
        var toolResult = harness.Events.RunEvents("t-1").Single(e => e.Stream == "tool" && e.Phase == "result").Payload.GetProperty("data");
        Assert.True(toolResult.GetProperty("isError").GetBoolean());
        Assert.True(toolResult.GetProperty("commandBearing").GetBoolean());
        Assert.Equal("failed", harness.Events.RunEvents("t-1").Last(e => e.Stream == "item").Payload.GetProperty("data").GetProperty("status").GetString());
        Assert.Equal("final", harness.Events.RunEvents("t-1").Last(e => e.Name == "chat").State);
    }

    [Fact]
    public async Task Chat_abort_in_the_middle_of_a_tool_cancels_it_and_the_run_ends_aborted()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slow = new FakeTool("exec", async (_, _, token) =>
        {
            started.TrySetResult();
            using var registration = token.Register(() => cancelled.TrySetResult());
            await Task.Delay(Timeout.Infinite, token);
            return ToolResult.Ok("never");
        });
        using var harness = GatewayHarness.Create(tools: [slow]);
        harness.Provider.Script = (_, n) => n == 0
            ? [new LlmTextDelta("Running it."), .. ScriptedLlmProvider.ToolTurn(Call("call_x", "exec"))]
            : ScriptedLlmProvider.AnswerTurn("should not happen");

        await harness.OkAsync("chat.send", new { sessionKey = Session, message = "run it", idempotencyKey = "a-1" });
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var abort = await harness.OkAsync("chat.abort", new { sessionKey = Session, runId = "a-1" });
        await harness.Events.WaitForChatEndAsync("a-1");
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await harness.SettledAsync();

        Assert.True(abort.GetProperty("aborted").GetBoolean());
        Assert.Equal("aborted", harness.Events.RunEvents("a-1").Last(e => e.Name == "chat").State);
        Assert.Single(harness.Provider.Calls);
        Assert.DoesNotContain(harness.Events.RunEvents("a-1"), e => e.Stream == "tool" && e.Phase == "result");

        // What it had is kept: the prompt and the tool turn; the unanswered call is not sent to the model next time.
        var messages = await HistoryAsync(harness);
        Assert.Equal(["user", "assistant"], messages.Select(m => m.GetProperty("role").GetString()));
        Assert.Equal("toolCall", messages[1].GetProperty("content")[1].GetProperty("type").GetString());
        harness.Provider.Script = null;
        await harness.ChatAsync("next");
        var next = harness.Provider.Calls[^1].Request.Messages;
        Assert.DoesNotContain(next, m => m.Role == "tool" || m.ToolCalls is not null);
        Assert.Contains(next, m => m.Role == "assistant" && m.Content == "Running it.");
    }

    [Fact]
    public async Task A_huge_tool_result_is_truncated_for_the_model_the_transcript_and_the_events()
    {
        var huge = new FakeTool("read", new string('y', 200_000));
        using var harness = GatewayHarness.Create(o => o.MaxToolResultChars = 16_000, tools: [huge]);
        harness.Provider.Script = (_, n) => n == 0 ? ScriptedLlmProvider.ToolTurn(Call("call_h", "read")) : ScriptedLlmProvider.AnswerTurn("ok");

        var runId = await harness.ChatAsync("read big");

        var sent = harness.Provider.Calls[1].Request.Messages.Single(m => m.Role == "tool").Content;
        Assert.Equal(16_000 + RunEventPublisher.TruncatedMarker.Length, sent.Length);
        Assert.EndsWith(RunEventPublisher.TruncatedMarker, sent);
        var stored = (await HistoryAsync(harness))[2].GetProperty("content")[0].GetProperty("text").GetString()!;
        Assert.Equal(sent, stored);
        var eventText = harness.Events.RunEvents(runId).Single(e => e.Stream == "tool" && e.Phase == "result")
            .Payload.GetProperty("data").GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString()!;
        Assert.Equal(8_000 + RunEventPublisher.TruncatedMarker.Length, eventText.Length);

        // The stored result counts against the tenant's storage quota like any transcript text.
        Assert.True(await harness.Read(c => c.State.StoredBytes) > 16_000);
    }

    [Theory]
    [InlineData("{not json", "arguments are not a valid JSON object")]
    [InlineData("[1,2]", "arguments are not a valid JSON object")]
    public async Task Bad_tool_arguments_give_the_model_an_error_result_without_running_the_tool(string arguments, string expected)
    {
        var tool = new FakeTool("read", "never");
        using var harness = GatewayHarness.Create(tools: [tool]);
        harness.Provider.Script = (_, n) => n == 0 ? ScriptedLlmProvider.ToolTurn(Call("call_b", "read", arguments)) : ScriptedLlmProvider.AnswerTurn("sorry");

        var runId = await harness.ChatAsync("go");

        Assert.Equal(0, tool.Calls);
        var result = harness.Provider.Calls[1].Request.Messages.Single(m => m.Role == "tool");
        Assert.True(result.IsError);
        Assert.Contains(expected, result.Content);
        Assert.Equal("final", harness.Events.RunEvents(runId).Last(e => e.Name == "chat").State);
        var history = await HistoryAsync(harness);
        Assert.Equal(arguments, history[1].GetProperty("content")[0].GetProperty("arguments").ValueKind == JsonValueKind.String
            ? history[1].GetProperty("content")[0].GetProperty("arguments").GetString()
            : history[1].GetProperty("content")[0].GetProperty("arguments").GetRawText());
    }

    [Fact]
    public async Task Unknown_or_policy_removed_tool_gets_not_found()
    {
        using var harness = GatewayHarness.Create(tools: [new FakeTool("read", "x")]);
        harness.Provider.Script = (_, n) => n == 0 ? ScriptedLlmProvider.ToolTurn(Call("call_u", "rm_rf")) : ScriptedLlmProvider.AnswerTurn("ok");

        await harness.ChatAsync("go");

        var result = harness.Provider.Calls[1].Request.Messages.Single(m => m.Role == "tool");
        Assert.Equal("Tool rm_rf not found", result.Content);
        Assert.True(result.IsError);
    }

    [Fact]
    public async Task Tool_exceptions_become_error_results_without_internal_details()
    {
        var refusing = new FakeTool("nodes", (_, _, _) => throw new AgentToolException("no node is connected", "NODE_NOT_CONNECTED"));
        var crashing = new FakeTool("read", (_, _, _) => throw new IOException("/srv/secret/tenants/x/file.txt: disk on fire"));
        using var harness = GatewayHarness.Create(tools: [refusing, crashing]);
        harness.Provider.Script = (_, n) => n == 0
            ? ScriptedLlmProvider.ToolTurn(Call("call_1", "nodes"), Call("call_2", "read"))
            : ScriptedLlmProvider.AnswerTurn("ok");

        var runId = await harness.ChatAsync("go");

        var results = harness.Provider.Calls[1].Request.Messages.Where(m => m.Role == "tool").ToList();
        Assert.Equal("no node is connected", results[0].Content);
        Assert.Equal("Tool read failed with an internal error.", results[1].Content);
        Assert.All(results, r => Assert.True(r.IsError));
        var details = harness.Events.RunEvents(runId).First(e => e.Stream == "tool" && e.Phase == "result")
            .Payload.GetProperty("data").GetProperty("result").GetProperty("details");
        Assert.Equal("NODE_NOT_CONNECTED", details.GetProperty("gatewayCode").GetString());
        Assert.Equal("error", details.GetProperty("status").GetString());
        Assert.DoesNotContain(harness.Events.Events, e => e.Json.Contains("disk on fire") || e.Json.Contains("/srv/secret"));
    }

    [Fact]
    public async Task Tool_rounds_survive_a_restart()
    {
        var storage = new TestStateStorage();
        using (var harness = TwoToolHarness(out _, out _, storage))
        {
            await harness.ChatAsync("TOOLTEST write");
        }

        using var restarted = GatewayHarness.Create(storage: storage.Snapshot());
        var messages = await HistoryAsync(restarted);

        Assert.Equal(["user", "assistant", "toolResult", "assistant", "toolResult", "assistant"], messages.Select(m => m.GetProperty("role").GetString()));
        Assert.Equal("call_w", messages[1].GetProperty("content")[1].GetProperty("id").GetString());
        Assert.Equal("notes/a.txt", messages[1].GetProperty("content")[1].GetProperty("arguments").GetProperty("path").GetString());
        Assert.Equal("text", messages[2].GetProperty("details").GetProperty("kind").GetString());
        Assert.Equal("toolUse", messages[3].GetProperty("stopReason").GetString());
    }

    [Fact]
    public async Task A_restart_in_the_middle_of_a_tool_round_records_the_run_as_interrupted_after_the_stored_rounds()
    {
        var blocked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = new FakeTool("read", "first");
        var hanging = new FakeTool("exec", async (_, _, token) =>
        {
            blocked.TrySetResult();
            await Task.Delay(Timeout.Infinite, token);
            return ToolResult.Ok("never");
        });
        using var harness = GatewayHarness.Create(tools: [first, hanging]);
        harness.Provider.Script = (_, n) => n == 0 ? ScriptedLlmProvider.ToolTurn(Call("call_1", "read")) : ScriptedLlmProvider.ToolTurn(Call("call_2", "exec"));

        await harness.OkAsync("chat.send", new { sessionKey = Session, message = "go", idempotencyKey = "r-1" });
        await blocked.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await harness.SettledAsync();
        using var restarted = GatewayHarness.Create(storage: harness.Storage.Snapshot());

        var messages = await HistoryAsync(restarted);
        var roles = messages.Select(m => m.GetProperty("role").GetString()).ToList();
        Assert.Equal(["user", "assistant", "toolResult"], roles.Take(3));
        Assert.Equal("assistant", roles[^1]);
        Assert.Equal("error", messages[^1].GetProperty("stopReason").GetString());
    }

    [Fact]
    public async Task Tool_updates_are_sent_to_tool_event_sockets_and_throttled()
    {
        var proceed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tool = new FakeTool("exec", async (_, context, _) =>
        {
            context.ReportUpdate!("line 1");
            context.ReportUpdate!("line 2 (dropped: too soon)");
            await proceed.Task;
            context.ReportUpdate!("line 3");
            return ToolResult.Ok("done");
        });
        using var harness = GatewayHarness.Create(tools: [tool]);
        harness.Provider.Script = (_, n) => n == 0 ? ScriptedLlmProvider.ToolTurn(Call("call_u", "exec")) : ScriptedLlmProvider.AnswerTurn("ok");

        await harness.OkAsync("chat.send", new { sessionKey = Session, message = "go", idempotencyKey = "u-1" });
        await harness.Events.WaitForAsync(e => e.Stream == "tool" && e.Phase == "update", "first update");
        harness.Time.Advance(harness.Options.ToolUpdateInterval);
        proceed.TrySetResult();
        await harness.Events.WaitForChatEndAsync("u-1");

        var updates = harness.Events.RunEvents("u-1").Where(e => e.Stream == "tool" && e.Phase == "update").ToList();
        Assert.Equal(["line 1", "line 3"], updates.Select(e => e.Payload.GetProperty("data").GetProperty("partialResult").GetProperty("content")[0].GetProperty("text").GetString()));
        Assert.All(updates, e => Assert.Equal(["tool-events"], e.RequiredAnyCap!));
    }

    [Fact]
    public async Task A_run_without_tool_calls_still_streams_one_answer()
    {
        using var harness = GatewayHarness.Create(tools: [new FakeTool("read", "x")]);

        var runId = await harness.ChatAsync("hello");

        Assert.Single(harness.Provider.Calls);
        Assert.DoesNotContain(harness.Events.RunEvents(runId), e => e.Stream is "tool" or "item");
        Assert.Equal("Hello from the mock model.", (await HistoryAsync(harness))[1].GetProperty("content")[0].GetProperty("text").GetString());
    }
}

/// <summary>Heartbeat runs (set by the scheduler): <c>isHeartbeat:true</c> on their agent events, no tool events.</summary>
public sealed class HeartbeatToolEventTests
{
    [Fact]
    public async Task Heartbeat_runs_say_so_and_send_no_tool_or_item_events()
    {
        using var harness = GatewayHarness.Create();
        await harness.Activation.RunAsync(() =>
        {
            var run = new ChatRun("hb-1", "agent", SessionKey.Main("main"), "heartbeat", RunKind.Agent, harness.Context.NowMs(), TimeSpan.FromMinutes(1), harness.Time)
            {
                IsHeartbeat = true,
            };
            var events = new RunEventPublisher(harness.Context);
            var call = new ToolCallState("call_h", "read", "{}", harness.Context.NowMs());
            events.LifecycleStart(run);
            events.ToolStarted(run, call);
            events.ToolUpdated(run, call, "partial");
            events.ToolFinished(run, call, ToolResult.Ok("done"));
        });

        var published = harness.Events.Events;
        var lifecycle = Assert.Single(published);
        Assert.Equal("lifecycle", lifecycle.Stream);
        Assert.True(lifecycle.Payload.GetProperty("isHeartbeat").GetBoolean());
    }
}
