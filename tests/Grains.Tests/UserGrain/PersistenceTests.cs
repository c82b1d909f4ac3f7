using OpenClaw.Grains.Gateway;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Grains.Llm;
using OpenClaw.Runtime;

namespace OpenClaw.Grains.Tests.UserGrainTests;

/// <summary>What the tenant's state keeps across deactivation, how it stays bounded, and how writes are serialized.</summary>
public sealed class PersistenceTests
{
    [Fact]
    public async Task Transcripts_config_and_usage_survive_reactivation()
    {
        string[] ids;
        TestStateStorage saved;
        using (var first = GatewayHarness.Create())
        {
            await first.OkAsync("config.patch", new { raw = new { agentName = "Claw" } });
            await first.ChatAsync("say hello");
            ids = (await first.OkAsync("chat.history", new { sessionKey = GatewayHarness.HarnessSession }))
                .GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("__openclaw").GetProperty("id").GetString()!).ToArray();
            saved = first.Storage.Snapshot();
        }

        using var second = GatewayHarness.Create(storage: saved);
        var history = await second.OkAsync("chat.history", new { sessionKey = GatewayHarness.HarnessSession });
        Assert.Equal(ids, history.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("__openclaw").GetProperty("id").GetString()));
        Assert.Equal("Hello from the mock model.", history.GetProperty("messages")[1].GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal("Claw", await second.Read(c => c.Config.AgentName));
        Assert.Equal(16, await second.Read(c => c.State.Profile.Usage.TokensOn(second.Time.GetUtcNow())));

        // The next message continues the session's numbering.
        await second.ChatAsync("again");
        var seqs = (await second.OkAsync("chat.history", new { sessionKey = GatewayHarness.HarnessSession }))
            .GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("__openclaw").GetProperty("seq").GetInt64());
        Assert.Equal([1L, 2L, 3L, 4L], seqs);
    }

    [Fact]
    public async Task Transcripts_keep_only_the_last_messages()
    {
        using var harness = GatewayHarness.Create(options => options.MaxTranscriptMessages = 4);
        for (var i = 1; i <= 3; i++)
        {
            await harness.ChatAsync($"message {i}");
        }

        var history = await harness.OkAsync("chat.history", new { sessionKey = GatewayHarness.HarnessSession });
        var messages = history.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(4, messages.Count);
        Assert.Equal("message 2", messages[0].GetProperty("content").GetString());
        Assert.Equal([3L, 4L, 5L, 6L], messages.Select(m => m.GetProperty("__openclaw").GetProperty("seq").GetInt64()));
        Assert.Equal(4, harness.Storage.Load(harness.Options).Sessions[GatewayHarness.HarnessSession].Messages.Count);

        var limited = await harness.OkAsync("chat.history", new { sessionKey = GatewayHarness.HarnessSession, limit = 1 });
        Assert.Equal(1, limited.GetProperty("messages").GetArrayLength());
        Assert.True(limited.GetProperty("hasMore").GetBoolean());
    }

    [Fact]
    public async Task Long_transcripts_are_kept_in_a_bounded_set_of_chunk_records_and_reload_in_order()
    {
        using var harness = GatewayHarness.Create(options => options.MaxTranscriptMessages = 50);
        for (var i = 0; i < 60; i++)
        {
            await harness.ChatAsync($"message {i}");
        }

        var stored = harness.Storage.Load(harness.Options).Sessions[GatewayHarness.HarnessSession].Messages;
        Assert.Equal(Enumerable.Range(71, 50).Select(seq => (long)seq), stored.Select(m => m.Seq));
        Assert.Equal("message 35", stored[0].Text);

        // Trimmed chunks are cleared and their slots reused: 120 messages never took more than three chunk records.
        var chunkNames = harness.Storage.Writes.Select(w => w.StateName).Where(name => name.StartsWith("transcript/", StringComparison.Ordinal)).Distinct().ToList();
        Assert.InRange(chunkNames.Count, 1, 3);
        Assert.InRange(harness.Storage.StateNames.Count(name => name.StartsWith("transcript/", StringComparison.Ordinal)), 1, 2);
    }

    [Fact]
    public async Task The_least_recently_used_session_is_dropped_beyond_the_limit()
    {
        using var harness = GatewayHarness.Create(options => options.MaxSessions = 2);
        foreach (var name in new[] { "one", "two", "three" })
        {
            await harness.ChatAsync("hi", sessionKey: name);
            harness.Time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(["agent:main:three", "agent:main:two"], await harness.Read(c => c.Sessions.ListByRecency().Select(s => s.Key).ToList()));
    }

    [Fact]
    public async Task A_failed_save_keeps_the_state_dirty_for_the_next_save()
    {
        using var harness = GatewayHarness.Create();
        var stream = harness.Provider.Control();
        await harness.OkAsync("chat.send", new { sessionKey = GatewayHarness.HarnessSession, message = "hi", idempotencyKey = "first" });
        harness.Storage.FailWith = new IOException("storage down");
        await stream.WriteAsync(new LlmTextDelta("answer"));
        stream.Complete();
        Assert.Equal("final", (await harness.Events.WaitForChatEndAsync("first")).State);
        await harness.SettledAsync();
        Assert.True(await harness.Read(c => c.State.IsDirty));

        harness.Storage.FailWith = null;
        harness.Provider.Controlled = null;
        await harness.ChatAsync("again");
        Assert.Equal(4, harness.Storage.Load().Sessions[GatewayHarness.HarnessSession].Messages.Count);
    }

    [Fact]
    public async Task A_prompt_that_cannot_be_stored_is_refused_and_starts_nothing()
    {
        using var harness = GatewayHarness.Create();
        harness.Storage.FailWith = new IOException("storage down");
        var refused = await harness.CallAsync("chat.send", new { sessionKey = GatewayHarness.HarnessSession, message = "hi", idempotencyKey = "k" });

        Assert.False(refused.Ok);
        Assert.Equal(GatewayErrorCodes.Unavailable, refused.Error!.Code);
        Assert.True(refused.Error.Retryable);
        Assert.Equal("the message could not be stored, so nothing was started; retry with the same idempotencyKey", refused.Error.Message);
        await harness.SettledAsync();
        Assert.Empty(harness.Provider.Calls);
        Assert.Empty(harness.Events.Events);
        Assert.Equal(0, await harness.Read(c => c.Runs.ActiveCount));

        // The retry, once storage is back, runs it.
        harness.Storage.FailWith = null;
        var retried = await harness.OkAsync("chat.send", new { sessionKey = GatewayHarness.HarnessSession, message = "hi", idempotencyKey = "k" });
        Assert.Equal("k", retried.GetProperty("runId").GetString());
        Assert.Equal("final", (await harness.Events.WaitForChatEndAsync("k")).State);
    }

    [Fact]
    public async Task Agent_wait_for_a_retried_send_follows_the_retry_not_the_refused_attempt()
    {
        using var harness = GatewayHarness.Create();
        harness.Storage.FailWith = new IOException("storage down");
        var refused = await harness.CallAsync("chat.send", new { sessionKey = GatewayHarness.HarnessSession, message = "hi", idempotencyKey = "k" });
        Assert.False(refused.Ok);

        harness.Storage.FailWith = null;
        var stream = harness.Provider.Control();
        await harness.OkAsync("chat.send", new { sessionKey = GatewayHarness.HarnessSession, message = "hi", idempotencyKey = "k" });
        var waiting = harness.CallAsync("agent.wait", new { runId = "k", timeoutMs = 30_000 });
        await harness.Provider.Started.Task;
        await harness.SettledAsync();
        Assert.False(waiting.IsCompleted, "agent.wait answered the refused attempt's outcome while the retry runs");
        await stream.WriteAsync(new LlmTextDelta("answer"));
        stream.Complete();

        Assert.Equal("ok", GatewayHarness.Payload(await waiting).GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_etag_conflict_asks_the_grain_to_deactivate()
    {
        using var harness = GatewayHarness.Create();
        var conflicts = 0;
        harness.Context.StateConflict = () => conflicts++;
        harness.Storage.FailWith = new InconsistentStateException("stale", 3, 2);
        var refused = await harness.CallAsync("chat.send", new { sessionKey = GatewayHarness.HarnessSession, message = "hi", idempotencyKey = "k" });
        Assert.False(refused.Ok);
        Assert.Equal(1, conflicts);
    }

    [Fact]
    public async Task Usage_is_recorded_per_model_and_day()
    {
        var usage = new TenantUsageRecord();
        var day1 = new DateTimeOffset(2026, 3, 1, 23, 0, 0, TimeSpan.Zero);
        usage.Record("openai", "gpt-a", 10, 5, day1, retainDays: 2);
        usage.Record("openai", "gpt-a", 1, 1, day1.AddMinutes(30), retainDays: 2);
        usage.Record("anthropic", "claude", 100, 50, day1.AddHours(2), retainDays: 2);
        usage.Record("openai", "gpt-a", 7, 3, day1.AddDays(2), retainDays: 2);

        Assert.Equal([("openai", "gpt-a", 18L, 9L, 3L), ("anthropic", "claude", 100L, 50L, 1L)],
            usage.Totals.Select(u => (u.Provider, u.Model, u.InputTokens, u.OutputTokens, u.Runs)));
        Assert.Equal(["2026-03-02", "2026-03-03"], usage.Daily.Select(u => u.Day).Order());
        Assert.Equal(10, usage.TokensOn(day1.AddDays(2)));
        Assert.Equal(0, usage.TokensOn(day1));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task The_state_store_never_overlaps_writes_and_ignores_saves_after_close()
    {
        var storage = new GatedStorage();
        var store = new PersistentUserStateStore(storage, TestStateStorage.GrainType, GatewayHarness.TenantId, new UserGrainOptions());
        await store.LoadAsync();

        store.MarkProfileDirty();
        var gate = new TaskCompletionSource();
        storage.Gate = gate;
        var first = store.SaveAsync();
        store.Profile.SecretsRevision++;
        store.MarkProfileDirty();
        var second = store.SaveAsync();
        Assert.Equal(1, storage.Writes);
        Assert.False(second.IsCompleted);

        gate.SetResult();
        await Task.WhenAll(first, second);
        Assert.Equal(2, storage.Writes);
        Assert.Equal(1, storage.MaxConcurrent);
        Assert.False(store.IsDirty);

        storage.Fail = true;
        store.MarkProfileDirty();
        await Assert.ThrowsAsync<IOException>(() => store.SaveAsync());
        Assert.True(store.IsDirty);

        storage.Fail = false;
        store.Close();
        await store.SaveAsync();
        Assert.Equal(3, storage.Writes);
    }

    /// <summary>Storage whose next write waits for <see cref="Gate"/>, counting writes and how many overlap.</summary>
    private sealed class GatedStorage : IGrainStorage
    {
        private readonly TestStateStorage _inner = new();
        private int _running;

        public int Writes { get; private set; }

        public int MaxConcurrent { get; private set; }

        public TaskCompletionSource? Gate { get; set; }

        public bool Fail { get; set; }

        public Task<StoredGrainState?> ReadAsync(GrainStateKey key, CancellationToken cancellationToken) => _inner.ReadAsync(key, cancellationToken);

        public async Task<int> WriteAsync(GrainStateKey key, ReadOnlyMemory<byte> data, int expectedEtag, CancellationToken cancellationToken)
        {
            Writes++;
            MaxConcurrent = Math.Max(MaxConcurrent, ++_running);
            try
            {
                if (Fail)
                {
                    throw new IOException("write failed");
                }

                if (Gate is { } gate)
                {
                    Gate = null;
                    await gate.Task;
                }

                return await _inner.WriteAsync(key, data, expectedEtag, cancellationToken);
            }
            finally
            {
                _running--;
            }
        }

        public Task<int> ClearAsync(GrainStateKey key, int expectedEtag, CancellationToken cancellationToken) => _inner.ClearAsync(key, expectedEtag, cancellationToken);
    }
}
