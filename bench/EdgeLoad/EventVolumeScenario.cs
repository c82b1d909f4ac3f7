using System.Diagnostics;
using System.Text.Json;

namespace OpenClaw.Bench.EdgeLoad;

/// <summary>
/// Scenario 5 (only when named: <c>events</c>): the event bytes one socket receives for one echo
/// run of a 100,000-character prompt (2,000 words of 49 letters, so the echo provider streams
/// 2,000 pieces, one every 15 ms by default). Counts the payload bytes of the run's <c>chat</c>
/// and <c>agent</c> events, the number of <c>chat</c> deltas, and checks that the final carries
/// the whole answer.
/// </summary>
internal static class EventVolumeScenario
{
    private const string Name = "events";
    private const string SessionKey = "agent:main:main";
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    public static async Task RunAsync(BenchEnvironment env, Report report, CancellationToken ct)
    {
        var prompt = string.Join(' ', Enumerable.Repeat(new string('x', 49), 2000)) + "!";
        Console.WriteLine($"\n# 5. Event volume — one echo run of a {prompt.Length:N0}-character prompt, {env.Options.StorageName}");
        var tenants = env.Tenants(Name, 1);
        await using var silo = await SiloProcess.StartAsync(env, Name, tenants, [], ct);

        var counter = new RunCounter();
        await using var client = await GatewayClient.ConnectAsync(silo.WebSocketUri, tenants[0].Id, tenants[0].Token, Name, counter.OnEvent, ct);
        var runId = Guid.NewGuid().ToString();
        counter.RunId = runId;
        var started = Stopwatch.GetTimestamp();
        var ack = await client.RequestAsync("chat.send", ClientFrames.ChatSendParams(SessionKey, prompt, runId)).WaitAsync(RunTimeout, ct);
        if (!ack.Ok) throw new InvalidOperationException($"chat.send refused: {ack.ErrorCode} {ack.ErrorMessage}");
        var finalText = await counter.Final.Task.WaitAsync(RunTimeout, ct);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        var expected = "Echo: " + prompt;
        if (finalText != expected) Observations.Global.Anomaly(Name, "the final does not carry the whole answer", $"{finalText.Length} of {expected.Length} characters");
        Console.WriteLine($"  run took {seconds:0.0} s; {counter.Events:N0} chat/agent events, {counter.ChatDeltas:N0} chat deltas, {counter.Bytes / 1e6:0.0} MB of event payloads");
        report.Add(Name, $"chat+agent event payload bytes for one {prompt.Length:N0}-character echo run", [counter.Bytes / 1e6], v => $"{v:0.0} MB");
        report.Add(Name, "chat deltas of that run", [counter.ChatDeltas], v => v.ToString("0"));
    }

    private sealed class RunCounter
    {
        public string? RunId { get; set; }

        public long Bytes { get; private set; }

        public long Events { get; private set; }

        public long ChatDeltas { get; private set; }

        public TaskCompletionSource<string> Final { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void OnEvent(GatewayClient client, string name, ReadOnlySpan<byte> payload)
        {
            if (name is not ("chat" or "agent") || RunId is null) return;
            using var doc = JsonDocument.Parse(payload.ToArray());
            var root = doc.RootElement;
            if (!root.TryGetProperty("runId", out var id) || id.GetString() != RunId) return;
            Bytes += payload.Length;
            Events++;
            if (name != "chat") return;
            var state = root.GetProperty("state").GetString();
            if (state == "delta") ChatDeltas++;
            if (state is "final" or "error" or "aborted")
            {
                var text = state == "final"
                    ? string.Concat(root.GetProperty("message").GetProperty("content").EnumerateArray().Select(c => c.GetProperty("text").GetString()))
                    : $"run ended with {state}";
                Final.TrySetResult(text);
            }
        }
    }
}
