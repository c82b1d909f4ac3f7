using System.Text.Json;
using OpenClaw.Grains.Gateway;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Grains.Llm;

namespace OpenClaw.Grains.Tests.UserGrainTests;

/// <summary>
/// What was acknowledged survives a crash: the storage as it is at the ack, or at the moment the
/// <c>final</c> event is published, is what a process killed right then leaves behind; a new
/// activation loaded from it must show the prompt (and the reply), and answer a retry of the same
/// idempotency key without running anything again. Also: writes are incremental, the old state
/// format is migrated, and the storage quota refuses new prompts.
/// </summary>
public sealed class DurabilityTests
{
    private const string Session = GatewayHarness.HarnessSession;

    [Fact]
    public async Task Crashed_at_the_ack_the_prompt_is_recorded_as_interrupted_and_a_retry_runs_nothing()
    {
        TestStateStorage atAck;
        string ack;
        using (var harness = GatewayHarness.Create())
        {
            harness.Provider.Control();
            var reply = await harness.CallAsync("chat.send", Send("remember this", "run-1"));
            Assert.True(reply.Ok);
            atAck = harness.Storage.Snapshot();
            ack = reply.PayloadJson!;
        }

        using var logs = new Egress.LogCapture();
        using var restarted = GatewayHarness.Create(storage: atAck, logger: logs.CreateLogger("test"));
        Assert.Contains(logs.Entries, entry => entry.EventId == 3025 && entry.Message.Contains("1 acknowledged runs", StringComparison.Ordinal));
        var messages = await MessagesAsync(restarted);
        Assert.Equal([("user", "remember this"), ("assistant", RunRecovery.InterruptedMessage)], messages.Select(m => (Role(m), Text(m))));
        Assert.All(messages, m => Assert.Equal("run-1", RunIdOf(m)));
        var session = (await restarted.OkAsync("sessions.describe", new { key = Session })).GetProperty("session");
        Assert.Equal("failed", session.GetProperty("status").GetString());
        Assert.False(session.GetProperty("hasActiveRun").GetBoolean());
        var wait = await restarted.OkAsync("agent.wait", new { runId = "run-1", timeoutMs = 0 });
        Assert.Equal("error", wait.GetProperty("status").GetString());

        var retry = await restarted.CallAsync("chat.send", Send("remember this", "run-1"));
        Assert.Equal(ack, retry.PayloadJson);
        await restarted.SettledAsync();
        Assert.Empty(restarted.Provider.Calls);
        Assert.Empty(restarted.Events.RunEvents("run-1"));
        Assert.Equal(2, (await MessagesAsync(restarted)).Count);
    }

    [Fact]
    public async Task Crashed_at_the_final_event_the_prompt_and_the_reply_are_stored()
    {
        TestStateStorage? atFinal = null;
        using (var harness = GatewayHarness.Create())
        {
            harness.Events.Published = e =>
            {
                if (e.Name == "chat" && e.State == "final")
                {
                    atFinal = harness.Storage.Snapshot();
                }
            };
            await harness.ChatAsync("say hello", idempotencyKey: "run-1");
        }

        Assert.NotNull(atFinal);
        using var logs = new Egress.LogCapture();
        using var restarted = GatewayHarness.Create(storage: atFinal, logger: logs.CreateLogger("test"));
        // Its pending record was still there, but the run ended: nothing was interrupted.
        Assert.DoesNotContain(logs.Entries, entry => entry.EventId == 3025);
        Assert.Equal([("user", "say hello"), ("assistant", "Hello from the mock model.")],
            (await MessagesAsync(restarted)).Select(m => (Role(m), Text(m))));
        var session = (await restarted.OkAsync("sessions.describe", new { key = Session })).GetProperty("session");
        Assert.Equal("done", session.GetProperty("status").GetString());
        Assert.Equal(10, session.GetProperty("inputTokens").GetInt32());
        Assert.Equal(16, await restarted.Read(c => c.State.Profile.Usage.TokensOn(restarted.Time.GetUtcNow())));

        Assert.True((await restarted.CallAsync("chat.send", Send("say hello", "run-1"))).Ok);
        await restarted.SettledAsync();
        Assert.Empty(restarted.Provider.Calls);
        Assert.Equal(2, (await MessagesAsync(restarted)).Count);
    }

    [Fact]
    public async Task Crashed_with_a_prompt_queued_behind_a_running_one_both_prompts_are_recorded()
    {
        TestStateStorage atAck;
        using (var harness = GatewayHarness.Create())
        {
            harness.Provider.Control();
            await harness.OkAsync("chat.send", Send("first", "a"));
            await harness.Provider.Started.Task;
            await harness.OkAsync("chat.send", Send("second", "b"));
            var pending = (await harness.OkAsync("chat.history", new { sessionKey = Session })).GetProperty("pendingInputs");
            Assert.Equal(1, pending.GetProperty("total").GetInt32());
            atAck = harness.Storage.Snapshot();
        }

        using var restarted = GatewayHarness.Create(storage: atAck);
        var history = await restarted.OkAsync("chat.history", new { sessionKey = Session });
        Assert.Equal(
            [("user", "first", "a"), ("assistant", RunRecovery.InterruptedMessage, "a"), ("user", "second", "b"), ("assistant", RunRecovery.InterruptedMessage, "b")],
            history.GetProperty("messages").EnumerateArray().Select(m => (Role(m), Text(m), RunIdOf(m))));
        Assert.Equal(0, history.GetProperty("pendingInputs").GetProperty("total").GetInt32());
        await restarted.SettledAsync();
        Assert.Empty(restarted.Provider.Calls);
    }

    [Fact]
    public async Task A_stop_with_a_queued_prompt_records_it_as_interrupted_on_the_next_activation()
    {
        using var harness = GatewayHarness.Create();
        harness.Provider.Control();
        await harness.OkAsync("chat.send", Send("first", "a"));
        await harness.Provider.Started.Task;
        await harness.OkAsync("chat.send", Send("second", "b"));

        // What the grain's deactivation does.
        await harness.Activation.RunAsync(async () =>
        {
            await harness.Context.Runs.AbortAllAsync(ChatRunExecutor.ShutdownStopReason);
            await harness.Context.State.SaveAsync();
            return true;
        });

        using var next = GatewayHarness.Create(storage: harness.Storage.Snapshot());
        Assert.Equal(
            [("user", "first"), ("user", "second"), ("assistant", RunRecovery.InterruptedMessage)],
            (await MessagesAsync(next)).Select(m => (Role(m), Text(m))));
    }

    [Fact]
    public async Task Answers_to_idempotency_keys_survive_a_restart_for_both_methods()
    {
        TestStateStorage stored;
        string chatAck, agentAck;
        using (var harness = GatewayHarness.Create())
        {
            chatAck = (await harness.CallAsync("chat.send", Send("hi", "k1"))).PayloadJson!;
            await harness.Events.WaitForChatEndAsync("k1");
            agentAck = (await harness.CallAsync("agent", new { message = "hi", idempotencyKey = "k2" })).PayloadJson!;
            await harness.Events.WaitForChatEndAsync("k2");
            await harness.SettledAsync();
            stored = harness.Storage.Snapshot();
        }

        using var restarted = GatewayHarness.Create(storage: stored);
        Assert.Equal(chatAck, (await restarted.CallAsync("chat.send", Send("hi", "k1"))).PayloadJson);
        var agent = await restarted.CallAsync("agent", new { message = "hi", idempotencyKey = "k2" });
        Assert.Equal(agentAck, agent.PayloadJson);
        Assert.True(agent.FinalPending);
        await restarted.SettledAsync();
        Assert.Empty(restarted.Provider.Calls);

        // The answers expire with the idempotency window; then the key starts a new run.
        restarted.Time.Advance(restarted.Options.IdempotencyWindow);
        await restarted.OkAsync("chat.send", Send("hi", "k1"));
        await restarted.Events.WaitForChatEndAsync("k1");
        Assert.Single(restarted.Provider.Calls);
    }

    [Fact]
    public async Task Appending_a_message_writes_bytes_in_proportion_to_the_message_not_the_history()
    {
        using var harness = GatewayHarness.Create();
        harness.Provider.Answer = [new string('a', 2000)];
        for (var i = 0; i < 60; i++)
        {
            await harness.ChatAsync(new string('q', 2000) + i);
        }

        var stored = harness.Storage.StoredBytes;
        Assert.True(stored > 240_000, $"stored {stored} bytes");
        var before = harness.Storage.Writes.Count;
        await harness.ChatAsync("one more " + new string('q', 2000));
        var written = harness.Storage.Writes.Skip(before).Sum(w => (long)w.Bytes);

        // Two messages of ~2 KB: at most two transcript chunks (64 KiB at most), the session head, the pending run, its answer.
        Assert.True(written < 200_000, $"one run wrote {written} bytes of {stored} stored");
        Assert.Equal(122, harness.Storage.Load().Sessions[Session].Messages.Count);
    }

    [Fact]
    public async Task The_first_state_format_is_migrated_without_losing_messages()
    {
        var storage = new TestStateStorage();
        storage.Put(StateRecordNames.Index, new UserSessionsState
        {
            Sessions = new Dictionary<string, SessionRecord>
            {
                [Session] = new()
                {
                    Key = Session,
                    SessionId = "old-session",
                    NextSeq = 8,
                    LastRunId = "old-run",
                    Status = SessionRecord.StatusDone,
                    InlineMessages =
                    [
                        new() { Id = "m6", Seq = 6, Role = TranscriptMessage.UserRole, Text = "old question", RunId = "old-run" },
                        new() { Id = "m7", Seq = 7, Role = TranscriptMessage.AssistantRole, Text = "old answer", RunId = "old-run" },
                    ],
                },
            },
        });

        using (var harness = GatewayHarness.Create(storage: storage))
        {
            var messages = await MessagesAsync(harness);
            Assert.Equal([("old question", 6L), ("old answer", 7L)], messages.Select(m => (Text(m), Seq(m))));
            Assert.Equal("old-session", (await harness.OkAsync("chat.history", new { sessionKey = Session })).GetProperty("sessionId").GetString());

            // Migrated at activation: the old record is now the small index, the session has its own record.
            var index = JsonSerializer.Deserialize<JsonElement>(storage.Get(StateRecordNames.Index)!);
            Assert.Equal(UserSessionsState.CurrentFormat, index.GetProperty("format").GetInt32());
            Assert.False(index.TryGetProperty("sessions", out var inline) && inline.ValueKind == JsonValueKind.Object);
            Assert.Contains(StateRecordNames.SessionHead(0), storage.StateNames);

            await harness.ChatAsync("new question");
        }

        using var again = GatewayHarness.Create(storage: storage.Snapshot());
        Assert.Equal([6L, 7L, 8L, 9L], (await MessagesAsync(again)).Select(Seq));
    }

    [Fact]
    public async Task Reset_and_delete_clear_the_sessions_transcript_records()
    {
        using var harness = GatewayHarness.Create();

        // An answer too big to share a chunk with the prompt: the prompt's chunk gets a record of its own.
        harness.Provider.Answer = [new string('a', 70_000)];
        await harness.ChatAsync("hi", sessionKey: "agent:main:one");
        await harness.ChatAsync("hi", sessionKey: "agent:main:two");
        Assert.Contains(StateRecordNames.TranscriptChunk(0, 0), harness.Storage.StateNames);
        Assert.Contains(StateRecordNames.TranscriptChunk(1, 0), harness.Storage.StateNames);

        await harness.OkAsync("sessions.reset", new { key = "agent:main:one" });
        await harness.OkAsync("sessions.delete", new { key = "agent:main:two" });

        Assert.DoesNotContain(harness.Storage.StateNames, name => name.StartsWith("transcript/", StringComparison.Ordinal));
        var stored = harness.Storage.Load();
        Assert.Empty(stored.Sessions["agent:main:one"].Messages);
        Assert.False(stored.Sessions.ContainsKey("agent:main:two"));

        // The freed slot is reused: a tenant never gets more records than its sessions need.
        await harness.ChatAsync("hi", sessionKey: "agent:main:three");
        Assert.Contains(StateRecordNames.SessionHead(1), harness.Storage.StateNames);
        Assert.DoesNotContain(StateRecordNames.SessionHead(2), harness.Storage.StateNames);
    }

    [Fact]
    public async Task Over_the_storage_quota_new_prompts_are_refused_with_what_to_do_and_accepted_runs_still_end()
    {
        using var harness = GatewayHarness.Create(options => options.MaxStoredBytes = 64 * 1024);
        var stream = harness.Provider.Control();
        await harness.OkAsync("chat.send", Send(new string('x', 40_000), "big"));
        await harness.Provider.Started.Task;

        var refused = await harness.CallAsync("chat.send", new { sessionKey = "agent:main:other", message = new string('y', 30_000), idempotencyKey = "refused" });
        Assert.False(refused.Ok);
        Assert.Equal(GatewayErrorCodes.Unavailable, refused.Error!.Code);
        Assert.False(refused.Error.Retryable);
        Assert.Contains("sessions.delete", refused.Error.Message, StringComparison.Ordinal);
        Assert.Contains("sessions.reset", refused.Error.Message, StringComparison.Ordinal);
        Assert.Contains(StorageQuota.ErrorCode, refused.Error.DetailsJson, StringComparison.Ordinal);

        // The acknowledged run's answer is stored although it takes the tenant further over.
        await stream.WriteAsync(new LlmTextDelta(new string('z', 40_000)));
        stream.Complete();
        Assert.Equal("final", (await harness.Events.WaitForChatEndAsync("big")).State);
        Assert.Equal(2, harness.Storage.Load().Sessions[Session].Messages.Count);
        Assert.True(harness.Storage.StoredBytes > harness.Options.MaxStoredBytes);
        Assert.False((await harness.CallAsync("chat.send", Send("small", "small"))).Ok);

        // Resetting the session frees the space.
        await harness.OkAsync("sessions.reset", new { key = Session });
        harness.Provider.Controlled = null;
        await harness.ChatAsync("small");
    }

    [Fact]
    public void The_quota_and_event_options_are_validated()
    {
        var validator = new UserGrainOptionsValidator();
        Assert.True(validator.Validate(null, new UserGrainOptions()).Succeeded);
        Assert.Equal(UserGrainOptions.DefaultMaxStoredBytes, new UserGrainOptions().MaxStoredBytes);
        Assert.False(validator.Validate(null, new UserGrainOptions { MaxStoredBytes = 1000 }).Succeeded);
        Assert.False(validator.Validate(null, new UserGrainOptions { MaxRunEventBytes = 0 }).Succeeded);
        Assert.False(validator.Validate(null, new UserGrainOptions { LiveTextPacing = TimeSpan.FromSeconds(-1) }).Succeeded);
        Assert.False(validator.Validate(null, new UserGrainOptions { MaxAnswerChars = 0 }).Succeeded);
        Assert.False(validator.Validate(null, new UserGrainOptions { MaxLiveTextChars = 0 }).Succeeded);
    }

    private static object Send(string message, string idempotencyKey) => new { sessionKey = Session, message, idempotencyKey };

    private static async Task<List<JsonElement>> MessagesAsync(GatewayHarness harness) =>
        [.. (await harness.OkAsync("chat.history", new { sessionKey = Session })).GetProperty("messages").EnumerateArray()];

    private static string? Role(JsonElement message) => message.GetProperty("role").GetString();

    private static string Text(JsonElement message)
    {
        var content = message.GetProperty("content");
        return content.ValueKind == JsonValueKind.String ? content.GetString()! : content[0].GetProperty("text").GetString()!;
    }

    private static string? RunIdOf(JsonElement message) => message.GetProperty("__openclaw").GetProperty("runId").GetString();

    private static long Seq(JsonElement message) => message.GetProperty("__openclaw").GetProperty("seq").GetInt64();
}
