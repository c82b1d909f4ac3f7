using OpenClaw.Grains.Llm;

namespace OpenClaw.Grains.Tests.UserGrainTests;

/// <summary>
/// Live text events are paced (one <c>agent</c> assistant / <c>chat</c> delta pair per run per
/// interval, later text merged into a scheduled flush, as the reference gateway does), the text a
/// delta repeats is capped, a run's event bytes are bounded, and the final always carries the
/// whole answer. The clock is the harness's manual one.
/// </summary>
public sealed class LiveTextTests
{
    private const string Session = GatewayHarness.HarnessSession;

    [Fact]
    public async Task Text_arriving_within_the_pacing_interval_is_merged_into_one_flush_at_its_end()
    {
        using var harness = GatewayHarness.Create();
        var stream = harness.Provider.Control();
        await harness.OkAsync("chat.send", new { sessionKey = Session, message = "hi", idempotencyKey = "r" });
        foreach (var piece in new[] { "a", "b", "c" })
        {
            await stream.WriteAsync(new LlmTextDelta(piece));
        }

        await WaitForTextAsync(harness, "r", "abc");
        Assert.Equal(["a"], Deltas(harness, "r").Select(DeltaText));

        harness.Time.Advance(harness.Options.LiveTextPacing);
        await harness.Events.WaitForAsync(e => e.RunId == "r" && e.State == "delta" && DeltaText(e) == "bc", "the merged delta");
        var merged = Deltas(harness, "r")[^1];
        Assert.Equal("abc", MessageText(merged));
        var assistant = harness.Events.RunEvents("r").Last(e => e.Stream == "assistant").Payload.GetProperty("data");
        Assert.Equal(("abc", "bc"), (assistant.GetProperty("text").GetString(), assistant.GetProperty("delta").GetString()));

        stream.Complete();
        Assert.Equal("final", (await harness.Events.WaitForChatEndAsync("r")).State);
        Assert.Equal(2, Deltas(harness, "r").Count);
    }

    [Fact]
    public async Task Text_not_sent_yet_is_flushed_before_the_final()
    {
        using var harness = GatewayHarness.Create();
        var runId = await harness.ChatAsync("hi");

        var events = harness.Events.RunEvents(runId).Select(e => e.Describe()).ToList();
        Assert.Equal(["agent:assistant", "chat:delta", "agent:assistant", "chat:delta", "agent:usage"],
            events.SkipWhile(e => e != "agent:assistant").Take(5));
        var deltas = Deltas(harness, runId);
        Assert.Equal(["Hello", " from the mock model."], deltas.Select(DeltaText));
        Assert.Equal("Hello from the mock model.", MessageText(deltas[^1]));
    }

    [Fact]
    public async Task A_runs_event_bytes_are_bounded_and_its_final_still_carries_the_whole_answer()
    {
        using var harness = GatewayHarness.Create(options => options.MaxRunEventBytes = 64 * 1024);
        var stream = harness.Provider.Control();
        await harness.OkAsync("chat.send", new { sessionKey = Session, message = "a long answer please", idempotencyKey = "r" });
        var piece = new string('x', 999) + " ";
        for (var i = 1; i <= 200; i++)
        {
            await stream.WriteAsync(new LlmTextDelta(piece));
            await WaitForTextLengthAsync(harness, "r", i * piece.Length);
            harness.Time.Advance(harness.Options.LiveTextPacing);
        }

        stream.Complete();
        var final = await harness.Events.WaitForChatEndAsync("r");

        Assert.Equal("final", final.State);
        Assert.Equal(200 * piece.Length, MessageText(final).Length);
        var events = harness.Events.RunEvents("r");
        var liveBytes = events.Where(e => e.State == "delta" || e.Stream == "assistant").Sum(e => (long)e.Json.Length);
        Assert.InRange(liveBytes, 1, harness.Options.MaxRunEventBytes);
        Assert.InRange(Deltas(harness, "r").Count, 1, 20);
        Assert.Equal(200 * piece.Length, (await harness.OkAsync("chat.history", new { sessionKey = Session }))
            .GetProperty("messages")[1].GetProperty("content")[0].GetProperty("text").GetString()!.Length);
    }

    [Fact]
    public async Task A_delta_repeats_at_most_the_last_characters_of_the_answer()
    {
        using var harness = GatewayHarness.Create(options => options.MaxLiveTextChars = 10);
        harness.Provider.Answer = ["0123456789abcdef"];
        var runId = await harness.ChatAsync("hi");

        var delta = Assert.Single(Deltas(harness, runId));
        Assert.Equal("0123456789abcdef", DeltaText(delta));
        Assert.Equal("6789abcdef", MessageText(delta));
        Assert.Equal("0123456789abcdef", MessageText(await harness.Events.WaitForChatEndAsync(runId)));
    }

    [Fact]
    public async Task An_answer_longer_than_the_limit_is_cut_there_with_stop_reason_length()
    {
        using var harness = GatewayHarness.Create(options => options.MaxAnswerChars = 10);
        harness.Provider.Answer = ["0123456", "789abc", "never read"];
        var runId = await harness.ChatAsync("hi");

        var final = await harness.Events.WaitForChatEndAsync(runId);
        Assert.Equal("0123456789", MessageText(final));
        Assert.Equal("length", final.Payload.GetProperty("stopReason").GetString());
        var answer = (await harness.OkAsync("chat.history", new { sessionKey = Session })).GetProperty("messages")[1];
        Assert.Equal("0123456789", answer.GetProperty("content")[0].GetProperty("text").GetString());
    }

    private static List<RecordedEvent> Deltas(GatewayHarness harness, string runId) =>
        harness.Events.RunEvents(runId).Where(e => e.State == "delta").ToList();

    private static string? DeltaText(RecordedEvent delta) => delta.Payload.GetProperty("deltaText").GetString();

    private static string MessageText(RecordedEvent chat) =>
        chat.Payload.GetProperty("message").GetProperty("content")[0].GetProperty("text").GetString()!;

    private static Task WaitForTextAsync(GatewayHarness harness, string runId, string text) =>
        WaitUntilAsync(harness, context => context.Runs.FindActive(runId)?.Text.ToString() == text, $"run {runId} to have received \"{text}\"");

    private static Task WaitForTextLengthAsync(GatewayHarness harness, string runId, int length) =>
        WaitUntilAsync(harness, context => context.Runs.FindActive(runId)?.Text.Length == length, $"run {runId} to have received {length} characters");

    private static async Task WaitUntilAsync(GatewayHarness harness, Func<OpenClaw.Grains.Gateway.GatewayContext, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await harness.Read(condition))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"waited in vain for {what}");
            }

            await Task.Delay(2);
        }
    }
}
