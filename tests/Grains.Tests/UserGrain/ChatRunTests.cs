using System.Text.Json;
using OpenClaw.Grains.Gateway;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Grains.Llm;

namespace OpenClaw.Grains.Tests.UserGrainTests;

/// <summary><c>chat.send</c> runs: the event stream, the transcript, usage, abort, errors, timeouts, queueing, idempotency.</summary>
public sealed class ChatRunTests
{
    private const string Session = GatewayHarness.HarnessSession;

    /// <summary>The first run of the reference's conn 6 (chat.send "say hello").</summary>
    private const string ReferenceRunId = "2fc92c71-c756-4072-9c59-6cec7e374633";

    private static readonly string[] ExpectedSequence =
    [
        "chat:status:preparing_workspace", "agent:run_status:preparing_workspace",
        "chat:status:preparing_context", "agent:run_status:preparing_context",
        "agent:lifecycle:start",
        "chat:status:starting_model", "agent:run_status:starting_model",
        "agent:lifecycle:model",
        "agent:assistant", "chat:delta", "agent:assistant", "chat:delta", "agent:assistant", "chat:delta",
        "agent:assistant", "chat:delta", "agent:assistant", "chat:delta",
        "agent:usage", "agent:lifecycle:finishing", "agent:lifecycle:end", "chat:final",
    ];

    [Fact]
    public async Task Chat_send_answers_at_once_then_streams_the_reference_event_sequence()
    {
        using var harness = GatewayHarness.Create();
        var stream = harness.Provider.Control();

        var ack = await harness.OkAsync("chat.send", new { sessionKey = Session, message = "say hello", deliver = false, idempotencyKey = "run-1" });

        Assert.Equal("run-1", ack.GetProperty("runId").GetString());
        Assert.Equal("started", ack.GetProperty("status").GetString());
        await harness.Provider.Started.Task;
        Assert.DoesNotContain(harness.Events.RunEvents("run-1"), e => e.State is "delta" or "final");

        // One piece per pacing interval: each gets its own delta.
        var sent = 0;
        foreach (var piece in ScriptedLlmProvider.ReferenceAnswer)
        {
            await stream.WriteAsync(new LlmTextDelta(piece));
            sent++;
            await harness.Events.WaitForAsync(e => e.RunId == "run-1" && e.State == "delta" && e.Payload.GetProperty("deltaText").GetString() == piece
                && harness.Events.RunEvents("run-1").Count(d => d.State == "delta") == sent, $"delta {sent}");
            harness.Time.Advance(harness.Options.LiveTextPacing);
        }

        await stream.WriteAsync(new LlmCompleted("stop", new LlmUsage(10, 6)));
        stream.Complete();
        var final = await harness.Events.WaitForChatEndAsync("run-1");

        var events = harness.Events.RunEvents("run-1");
        Assert.Equal(ExpectedSequence, events.Select(e => e.Describe()));

        // Deltas carry the piece and the cumulative message, in both streams.
        var deltas = events.Where(e => e.State == "delta").ToList();
        Assert.Equal(ScriptedLlmProvider.ReferenceAnswer, deltas.Select(e => e.Payload.GetProperty("deltaText").GetString()));
        Assert.Equal(
            ["Hello", "Hello from", "Hello from the", "Hello from the mock model", "Hello from the mock model."],
            deltas.Select(e => e.Payload.GetProperty("message").GetProperty("content")[0].GetProperty("text").GetString()));
        Assert.All(deltas, e => Assert.Equal("assistant", e.Payload.GetProperty("message").GetProperty("role").GetString()));
        var assistant = events.Where(e => e.Stream == "assistant").Select(e => e.Payload.GetProperty("data")).ToList();
        Assert.Equal("Hello from the mock model.", assistant[^1].GetProperty("text").GetString());
        Assert.Equal(".", assistant[^1].GetProperty("delta").GetString());

        // The final: full message, stop reason, usage.
        Assert.Equal("stop", final.Payload.GetProperty("stopReason").GetString());
        Assert.Equal("Hello from the mock model.", final.Payload.GetProperty("message").GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal(10, final.Payload.GetProperty("usage").GetProperty("input").GetInt32());
        Assert.Equal(6, final.Payload.GetProperty("usage").GetProperty("output").GetInt32());

        // agent events number the run; a chat event carries the seq of the agent event it derives from.
        var agentSeqs = events.Where(e => e.Name == "agent").Select(e => e.Seq).ToList();
        Assert.Equal(agentSeqs.Order().Distinct(), agentSeqs);
        for (var i = 0; i < events.Count; i++)
        {
            if (events[i].Name == "chat" && events[i].State != "status")
            {
                Assert.Equal(events[i - 1].Seq, events[i].Seq);
            }
        }

        Assert.All(events, e => Assert.Equal(Session, e.Payload.GetProperty("sessionKey").GetString()));
    }

    [Fact]
    public async Task The_run_emits_nothing_before_the_ack_is_returned()
    {
        using var harness = GatewayHarness.Create();
        var call = new GatewayCall
        {
            Method = "chat.send",
            ParamsJson = """{"sessionKey":"main","message":"hi","idempotencyKey":"k"}""",
            ConnectionId = GatewayHarness.Connection,
            Scopes = GatewayHarness.AllScopes,
        };

        // Counted in the same turn that produced the ack.
        var (reply, eventsAtAck) = await harness.Activation.RunAsync(async () =>
        {
            var ack = await harness.Dispatcher.InvokeAsync(call);
            return (ack, harness.Events.Events.Count);
        });

        Assert.True(reply.Ok);
        Assert.Equal(0, eventsAtAck);
        await harness.Events.WaitForChatEndAsync("k");
    }

    [Fact]
    public void The_event_order_follows_the_reference_run()
    {
        static bool IsStreamed(string kind) => kind is "agent:assistant" or "chat:delta";
        var reference = ReferenceTranscript.RunEvents(ReferenceRunId)
            .Select(e => new RecordedEvent(e.Name, e.Payload, false, "").Describe())
            .Where(kind => !IsStreamed(kind))
            .ToList();
        Assert.NotEmpty(reference);

        // Apart from the streamed pieces (the reference throttles its chat deltas and sends the
        // last one after the end), ours is the reference's sequence without its repeated model
        // phase after finishing: a subsequence, in order.
        var position = 0;
        foreach (var kind in ExpectedSequence.Where(kind => !IsStreamed(kind)))
        {
            while (position < reference.Count && reference[position] != kind)
            {
                position++;
            }

            Assert.True(position < reference.Count, $"{kind} is not in the reference's order: {string.Join(", ", reference)}");
            position++;
        }
    }

    [Fact]
    public async Task A_completed_run_is_recorded_in_the_transcript_the_session_and_the_usage_record()
    {
        using var harness = GatewayHarness.Create();
        var runId = await harness.ChatAsync("say hello");

        var history = await harness.OkAsync("chat.history", new { sessionKey = Session, limit = 200 });
        var messages = history.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(2, messages.Count);
        Assert.Equal("user", messages[0].GetProperty("role").GetString());
        Assert.Equal("say hello", messages[0].GetProperty("content").GetString());
        Assert.Equal("assistant", messages[1].GetProperty("role").GetString());
        Assert.Equal("Hello from the mock model.", messages[1].GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal("stop", messages[1].GetProperty("stopReason").GetString());
        Assert.Equal([1L, 2L], messages.Select(m => m.GetProperty("__openclaw").GetProperty("seq").GetInt64()));
        Assert.All(messages, m => Assert.Equal(runId, m.GetProperty("__openclaw").GetProperty("runId").GetString()));
        Assert.Equal(2, history.GetProperty("totalMessages").GetInt32());

        var session = (await harness.OkAsync("sessions.describe", new { key = Session })).GetProperty("session");
        Assert.Equal("done", session.GetProperty("status").GetString());
        Assert.Equal(runId, session.GetProperty("lastRunId").GetString());
        Assert.Equal(10, session.GetProperty("inputTokens").GetInt32());
        Assert.False(session.GetProperty("hasActiveRun").GetBoolean());
        Assert.Equal(history.GetProperty("sessionId").GetString(), session.GetProperty("sessionId").GetString());

        var usage = await harness.Read(c => c.State.Profile.Usage);
        var total = Assert.Single(usage.Totals);
        Assert.Equal(("echo", "echo-1", 10L, 6L, 1L), (total.Provider, total.Model, total.InputTokens, total.OutputTokens, total.Runs));
        Assert.Equal(16, usage.TokensOn(harness.Time.GetUtcNow()));

        Assert.Equal(2, harness.Storage.Load().Sessions[Session].Messages.Count);
        Assert.NotNull(harness.Storage.Get("profile"));
        Assert.Equal([true, false], harness.PinChanges);
    }

    [Fact]
    public async Task The_model_gets_the_system_prompt_the_history_and_the_tenants_endpoint()
    {
        using var harness = GatewayHarness.Create(config: new TenantConfig
        {
            Provider = "openai", Model = "gpt-test", ApiKey = "sk-live", BaseUrl = "http://llm.local/v1", SystemPrompt = "Be brief.",
        });
        var openai = (ScriptedLlmProvider)harness.Context.Providers.Get("openai");
        await harness.ChatAsync("first");
        await harness.ChatAsync("second");

        var (request, endpoint) = openai.Calls[^1];
        Assert.Equal("gpt-test", request.Model);
        // The tenant's own system prompt is kept, appended to the assembled OpenClaw prompt.
        var system = request.Messages[0];
        Assert.Equal("system", system.Role);
        Assert.StartsWith("You are a personal assistant running inside OpenClaw.", system.Content, StringComparison.Ordinal);
        Assert.Contains("Be brief.", system.Content, StringComparison.Ordinal);
        Assert.Equal(
            [("user", "first"), ("assistant", "Hello from the mock model."), ("user", "second")],
            request.Messages.Skip(1).Select(m => (m.Role, m.Content)));
        Assert.Equal(new LlmEndpoint("openai", "http://llm.local/v1", "sk-live"), endpoint);
    }

    [Fact]
    public async Task Without_a_config_prompt_the_system_prompt_is_the_assembled_one_with_the_offered_tools()
    {
        using var harness = GatewayHarness.Create();
        await harness.ChatAsync("hi");
        var system = harness.Provider.Calls[^1].Request.Messages[0];
        Assert.Equal("system", system.Role);
        Assert.StartsWith("You are a personal assistant running inside OpenClaw.", system.Content, StringComparison.Ordinal);
        Assert.Contains("## Tooling", system.Content, StringComparison.Ordinal);
        Assert.DoesNotContain("## Additional Instructions", system.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Abort_mid_run_ends_it_with_aborted_and_keeps_the_partial_answer()
    {
        using var harness = GatewayHarness.Create();
        var stream = harness.Provider.Control();
        await harness.OkAsync("chat.send", new { sessionKey = Session, message = "please write a long answer", idempotencyKey = "long" });
        await stream.WriteAsync(new LlmTextDelta("Once upon"));
        await harness.Events.WaitForAsync(e => e.RunId == "long" && e.State == "delta", "first delta");

        var abort = await harness.OkAsync("chat.abort", new { sessionKey = Session, runId = "long" });

        Assert.True(abort.GetProperty("ok").GetBoolean());
        Assert.True(abort.GetProperty("aborted").GetBoolean());
        Assert.Equal(["long"], abort.GetProperty("runIds").EnumerateArray().Select(e => e.GetString()));
        var events = harness.Events.RunEvents("long");
        Assert.Equal(["chat:aborted", "agent:lifecycle:end"], events.SkipWhile(e => e.State != "aborted").Select(e => e.Describe()));
        var aborted = events.Single(e => e.State == "aborted");
        Assert.Equal("rpc", aborted.Payload.GetProperty("stopReason").GetString());
        var end = events[^1].Payload.GetProperty("data");
        Assert.Equal("cancelled", end.GetProperty("status").GetString());
        Assert.True(end.GetProperty("aborted").GetBoolean());

        // Whatever the provider still sends is dropped: the run has let go of the stream.
        await stream.WriteAsync(new LlmTextDelta(" a time"));
        await harness.Provider.Ended.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(events.Count, harness.Events.RunEvents("long").Count);
        Assert.DoesNotContain(harness.Events.RunEvents("long"), e => e.State == "final");

        var session = (await harness.OkAsync("sessions.describe", new { key = Session })).GetProperty("session");
        Assert.True(session.GetProperty("abortedLastRun").GetBoolean());
        Assert.Equal("aborted", session.GetProperty("status").GetString());
        var messages = (await harness.OkAsync("chat.history", new { sessionKey = Session })).GetProperty("messages");
        Assert.Equal("Once upon", messages[1].GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal([true, false], harness.PinChanges);
    }

    [Fact]
    public async Task Abort_without_a_run_in_progress_aborts_nothing()
    {
        using var harness = GatewayHarness.Create();
        await harness.ChatAsync("say hello");
        var abort = await harness.OkAsync("chat.abort", new { sessionKey = Session });
        Assert.False(abort.GetProperty("aborted").GetBoolean());
        Assert.Equal(0, abort.GetProperty("runIds").GetArrayLength());
    }

    [Fact]
    public async Task Abort_only_touches_the_named_session()
    {
        using var harness = GatewayHarness.Create();
        harness.Provider.Control();
        await harness.OkAsync("chat.send", new { sessionKey = Session, message = "x", idempotencyKey = "r1" });
        var abort = await harness.OkAsync("chat.abort", new { sessionKey = "agent:main:other", runId = "r1" });
        Assert.False(abort.GetProperty("aborted").GetBoolean());
        Assert.Equal(1, await harness.Read(c => c.Runs.ActiveCount));
    }

    [Fact]
    public async Task A_provider_error_ends_the_run_with_the_error_state_and_never_shows_the_key()
    {
        using var harness = GatewayHarness.Create();
        harness.Provider.FailWith = new LlmProviderException("Incorrect API key provided: sk-tenant-secret-key-123.", 401);
        var ack = await harness.OkAsync("chat.send", new { sessionKey = Session, message = "hi", idempotencyKey = "bad-key" });
        var end = await harness.Events.WaitForChatEndAsync("bad-key");

        Assert.Equal("error", end.State);
        Assert.Equal("Incorrect API key provided: ***.", end.Payload.GetProperty("errorMessage").GetString());
        Assert.Equal("provider", end.Payload.GetProperty("errorKind").GetString());
        var lifecycle = harness.Events.RunEvents("bad-key").Single(e => e.Describe() == "agent:lifecycle:error");
        Assert.Equal("Incorrect API key provided: ***.", lifecycle.Payload.GetProperty("data").GetProperty("error").GetString());
        Assert.Equal(lifecycle.Seq, end.Seq);
        Assert.DoesNotContain(harness.Events.Events, e => e.Json.Contains("sk-tenant-secret-key-123", StringComparison.Ordinal));

        var session = (await harness.OkAsync("sessions.describe", new { key = Session })).GetProperty("session");
        Assert.Equal("failed", session.GetProperty("status").GetString());
        Assert.Empty(await harness.Read(c => c.State.Profile.Usage.Totals));
        Assert.Equal("bad-key", ack.GetProperty("runId").GetString());
    }

    [Fact]
    public async Task An_unknown_provider_in_the_config_fails_the_run_clearly()
    {
        using var harness = GatewayHarness.Create(config: new TenantConfig { Provider = "nope", Model = "m" });
        await harness.OkAsync("chat.send", new { sessionKey = Session, message = "hi", idempotencyKey = "r" });
        var end = await harness.Events.WaitForChatEndAsync("r");
        Assert.Equal("error", end.State);
        Assert.Contains("Unknown LLM provider \"nope\"", end.Payload.GetProperty("errorMessage").GetString());
    }

    [Fact]
    public async Task A_run_that_outlives_its_timeout_fails_with_a_timeout_error()
    {
        using var harness = GatewayHarness.Create(options => options.RunTimeout = TimeSpan.FromSeconds(30));
        harness.Provider.Control();
        await harness.OkAsync("chat.send", new { sessionKey = Session, message = "hi", idempotencyKey = "slow" });
        await harness.Provider.Started.Task;

        harness.Time.Advance(TimeSpan.FromSeconds(31));
        var end = await harness.Events.WaitForChatEndAsync("slow");

        Assert.Equal("error", end.State);
        Assert.Equal("timeout", end.Payload.GetProperty("errorKind").GetString());
        Assert.Equal("The run timed out after 30 s.", end.Payload.GetProperty("errorMessage").GetString());
    }

    [Fact]
    public async Task A_client_timeout_shorter_than_the_limit_wins()
    {
        using var harness = GatewayHarness.Create();
        harness.Provider.Control();
        await harness.OkAsync("chat.send", new { sessionKey = Session, message = "hi", idempotencyKey = "slow", timeoutMs = 5000 });
        await harness.Provider.Started.Task;
        harness.Time.Advance(TimeSpan.FromSeconds(6));
        var end = await harness.Events.WaitForChatEndAsync("slow");
        Assert.Equal("The run timed out after 5 s.", end.Payload.GetProperty("errorMessage").GetString());
    }

    [Fact]
    public async Task A_second_send_waits_for_the_sessions_running_run()
    {
        using var harness = GatewayHarness.Create();
        var stream = harness.Provider.Control();
        await harness.OkAsync("chat.send", new { sessionKey = Session, message = "first", idempotencyKey = "a" });
        await harness.Provider.Started.Task;
        var second = await harness.OkAsync("chat.send", new { sessionKey = Session, message = "second", idempotencyKey = "b" });
        Assert.Equal("started", second.GetProperty("status").GetString());

        var pending = (await harness.OkAsync("chat.history", new { sessionKey = Session })).GetProperty("pendingInputs");
        Assert.Equal(1, pending.GetProperty("total").GetInt32());
        Assert.Equal("b", pending.GetProperty("items")[0].GetProperty("runId").GetString());
        Assert.Empty(harness.Events.RunEvents("b"));

        await stream.WriteAsync(new LlmTextDelta("one"));
        harness.Provider.Controlled = null; // the second run gets the default answer
        stream.Complete();
        await harness.Events.WaitForChatEndAsync("b");

        var all = harness.Events.Events.Where(e => e.Name is "chat" or "agent").ToList();
        var firstEnd = all.FindIndex(e => e.RunId == "a" && e.State == "final");
        var secondStart = all.FindIndex(e => e.RunId == "b");
        Assert.True(firstEnd >= 0 && firstEnd < secondStart);
        var texts = (await harness.OkAsync("chat.history", new { sessionKey = Session })).GetProperty("messages").EnumerateArray()
            .Select(m => m.GetProperty("content").ValueKind == JsonValueKind.String ? m.GetProperty("content").GetString() : m.GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal(["first", "one", "second", "Hello from the mock model."], texts);
    }

    [Fact]
    public async Task Aborting_a_queued_run_keeps_the_runs_behind_it_waiting()
    {
        using var harness = GatewayHarness.Create();
        var stream = harness.Provider.Control();
        await harness.OkAsync("chat.send", new { sessionKey = Session, message = "1", idempotencyKey = "a" });
        await harness.Provider.Started.Task;
        await harness.OkAsync("chat.send", new { sessionKey = Session, message = "2", idempotencyKey = "b" });
        await harness.OkAsync("chat.send", new { sessionKey = Session, message = "3", idempotencyKey = "c" });

        var abort = await harness.OkAsync("chat.abort", new { sessionKey = Session, runId = "b" });
        Assert.Equal(["b"], abort.GetProperty("runIds").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("aborted", (await harness.Events.WaitForChatEndAsync("b")).State);
        // c waits for a, not for b: its gate is still closed after b ended, so it cannot have called the provider.
        Assert.False(await harness.Read(context => context.Runs.ActiveRuns.Single(run => run.RunId == "c").QueueGate.IsCompleted));
        Assert.Single(harness.Provider.Calls);

        harness.Provider.Controlled = null;
        stream.Complete();
        Assert.Equal("final", (await harness.Events.WaitForChatEndAsync("c")).State);
        Assert.Equal(2, harness.Provider.Calls.Count);
    }

    [Fact]
    public async Task A_repeated_idempotency_key_returns_the_same_ack_without_a_second_run()
    {
        using var harness = GatewayHarness.Create();
        var send = new { sessionKey = Session, message = "say hello", idempotencyKey = "same" };
        var first = await harness.CallAsync("chat.send", send);
        var again = await harness.CallAsync("chat.send", send);
        await harness.Events.WaitForChatEndAsync("same");
        await harness.SettledAsync();
        var afterEnd = await harness.CallAsync("chat.send", send);

        Assert.Equal(first.PayloadJson, again.PayloadJson);
        Assert.Equal(first.PayloadJson, afterEnd.PayloadJson);
        Assert.Equal(0, await harness.Read(context => context.Runs.ActiveCount)); // a run is registered as it is accepted: none was
        Assert.Single(harness.Provider.Calls);
        Assert.Single(harness.Events.RunEvents("same"), e => e.State == "final");
        Assert.Equal(2, (await harness.OkAsync("chat.history", new { sessionKey = Session })).GetProperty("totalMessages").GetInt32());
    }

    [Fact]
    public async Task Runs_beyond_the_tenants_limit_are_refused_as_retryable()
    {
        using var harness = GatewayHarness.Create(options => options.MaxConcurrentRuns = 1);
        harness.Provider.Control();
        await harness.OkAsync("chat.send", new { sessionKey = Session, message = "1", idempotencyKey = "a" });
        var refused = await harness.CallAsync("chat.send", new { sessionKey = "agent:main:other", message = "2", idempotencyKey = "b" });

        Assert.False(refused.Ok);
        Assert.Equal(GatewayErrorCodes.Unavailable, refused.Error!.Code);
        Assert.True(refused.Error.Retryable);
    }

    [Fact]
    public async Task Session_events_go_to_session_subscribers_and_run_events_to_everyone()
    {
        using var harness = GatewayHarness.Create();
        await harness.OkAsync("sessions.subscribe");
        Assert.Contains(GatewayHarness.Connection, harness.Events.SessionSubscribers);
        await harness.ChatAsync("say hello");

        Assert.All(harness.Events.Events, e => Assert.Equal(e.Name is "sessions.changed" or "session.message", e.SessionSubscribersOnly));
        Assert.Equal(
            ["sessions.changed", "session.message:user", "sessions.changed:start", "session.message:assistant", "sessions.changed:end"],
            harness.Events.Events.Where(e => e.SessionSubscribersOnly).Select(e => e.Name == "session.message"
                ? $"session.message:{e.Payload.GetProperty("message").GetProperty("role").GetString()}"
                : e.Payload.TryGetProperty("phase", out var phase) ? $"sessions.changed:{phase.GetString()}" : e.Name));
        var end = harness.Events.Events.Last(e => e.Name == "sessions.changed");
        Assert.False(end.Payload.GetProperty("session").GetProperty("hasActiveRun").GetBoolean());
        Assert.Equal("done", end.Payload.GetProperty("status").GetString());

        await harness.OkAsync("sessions.unsubscribe");
        Assert.Empty(harness.Events.SessionSubscribers);
    }
}
