using System.Text.Json;
using System.Text.Json.Nodes;
using OpenClaw.EdgeGateway.Tests.Infrastructure;

namespace OpenClaw.EdgeGateway.Tests.Durability;

/// <summary>
/// What a client was told survives <c>kill -9</c> of the real silo process: the prompt once
/// <c>chat.send</c> answered, the reply once <c>final</c> arrived, and the idempotency key (a retry
/// after the restart gets the first answer and starts nothing). The kills happen at those frames,
/// not at a time: the echo run of the first test takes seconds (one word every 15 ms), so the kill
/// at the ack lands in the middle of it.
/// </summary>
public sealed class KillTests : IAsyncLifetime
{
    private const string Session = "agent:main:main";

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "openclaw-kill-" + Guid.NewGuid().ToString("N"));
    private readonly string _token = SiloProcessHost.NewToken();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task Killed_at_the_ack_the_prompt_is_in_the_history_after_restart_and_a_retry_starts_nothing()
    {
        var runId = Guid.NewGuid().ToString();
        var prompt = "interrupted " + string.Join(' ', Enumerable.Range(0, 200).Select(i => $"word{i}"));
        await using (var silo = await SiloProcessHost.StartAsync(_dataDirectory, _token))
        {
            await using var client = await silo.ConnectAsync(_token);
            var ack = await client.CallAsync("chat.send", Send(prompt, runId));
            Assert.True(ack.GetProperty("ok").GetBoolean(), ack.ToString());
            await silo.KillAsync();
        }

        await using var restarted = await SiloProcessHost.StartAsync(_dataDirectory, _token);
        await using var again = await restarted.ConnectAsync(_token);
        var messages = await HistoryAsync(again);
        var user = Assert.Single(messages, m => Role(m) == "user" && Text(m) == prompt);
        Assert.Equal(runId, RunIdOf(user));
        var marker = Assert.Single(messages, m => Role(m) == "assistant" && RunIdOf(m) == runId);
        Assert.Contains("restart", Text(marker), StringComparison.OrdinalIgnoreCase);

        await AssertRetryStartsNothingAsync(again, prompt, runId);
        Assert.Single(await HistoryAsync(again), m => Role(m) == "user" && Text(m) == prompt);
    }

    [Fact]
    public async Task Killed_at_the_final_event_both_messages_are_in_the_history_after_restart()
    {
        var runId = Guid.NewGuid().ToString();
        const string prompt = "remember the final answer";
        string answer;
        await using (var silo = await SiloProcessHost.StartAsync(_dataDirectory, _token))
        {
            await using var client = await silo.ConnectAsync(_token);
            var ack = await client.CallAsync("chat.send", Send(prompt, runId));
            Assert.True(ack.GetProperty("ok").GetBoolean(), ack.ToString());
            var final = await client.WaitForAsync(f => IsChat(f, runId, "final"), TimeSpan.FromSeconds(30));
            await silo.KillAsync();
            answer = string.Concat(final.GetProperty("payload").GetProperty("message").GetProperty("content").EnumerateArray()
                .Select(c => c.GetProperty("text").GetString()));
        }

        Assert.Contains(prompt, answer);
        await using var restarted = await SiloProcessHost.StartAsync(_dataDirectory, _token);
        await using var again = await restarted.ConnectAsync(_token);
        var messages = await HistoryAsync(again);
        Assert.Equal([("user", prompt), ("assistant", answer)], messages.Select(m => (Role(m), Text(m))));
        Assert.All(messages, m => Assert.Equal(runId, RunIdOf(m)));

        await AssertRetryStartsNothingAsync(again, prompt, runId);
        Assert.Equal(2, (await HistoryAsync(again)).Count(m => RunIdOf(m) == runId));
    }

    /// <summary>
    /// The retry answers with the first run's id. Runs of a session run one after the other, so a
    /// second run started by the retry would end before a later probe run of the same session:
    /// once the probe's final has arrived, the retry's run id must have had no events.
    /// </summary>
    private static async Task AssertRetryStartsNothingAsync(GatewayTestClient client, string prompt, string runId)
    {
        var retry = await client.CallAsync("chat.send", Send(prompt, runId));
        Assert.True(retry.GetProperty("ok").GetBoolean(), retry.ToString());
        Assert.Equal(runId, retry.GetProperty("payload").GetProperty("runId").GetString());

        var probeId = Guid.NewGuid().ToString();
        var probe = await client.CallAsync("chat.send", Send("probe", probeId));
        Assert.True(probe.GetProperty("ok").GetBoolean(), probe.ToString());
        await client.WaitForAsync(f => IsChat(f, probeId, "final"), TimeSpan.FromSeconds(30));
        Assert.DoesNotContain(client.All, f => f.Json.TryGetProperty("event", out _) && f.Json.GetProperty("payload").TryGetProperty("runId", out var id) && id.GetString() == runId);
    }

    private static JsonObject Send(string message, string idempotencyKey) => new()
    {
        ["sessionKey"] = Session,
        ["message"] = message,
        ["idempotencyKey"] = idempotencyKey,
    };

    private static async Task<List<JsonElement>> HistoryAsync(GatewayTestClient client)
    {
        var history = await client.CallAsync("chat.history", new JsonObject { ["sessionKey"] = Session });
        Assert.True(history.GetProperty("ok").GetBoolean(), history.ToString());
        return [.. history.GetProperty("payload").GetProperty("messages").EnumerateArray()];
    }

    private static bool IsChat(JsonElement frame, string runId, string state) =>
        frame.TryGetProperty("event", out var name) && name.GetString() == "chat"
        && frame.GetProperty("payload").GetProperty("runId").GetString() == runId
        && frame.GetProperty("payload").GetProperty("state").GetString() == state;

    private static string? Role(JsonElement message) => message.GetProperty("role").GetString();

    private static string Text(JsonElement message)
    {
        var content = message.GetProperty("content");
        return content.ValueKind == JsonValueKind.String
            ? content.GetString()!
            : string.Concat(content.EnumerateArray().Select(c => c.TryGetProperty("text", out var t) ? t.GetString() : ""));
    }

    private static string? RunIdOf(JsonElement message) =>
        message.TryGetProperty("__openclaw", out var meta) && meta.TryGetProperty("runId", out var id) ? id.GetString() : null;
}
