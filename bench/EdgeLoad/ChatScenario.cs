using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace OpenClaw.Bench.EdgeLoad;

/// <summary>
/// Scenario 4: chat runs per second with the echo provider. One connection per tenant, one run
/// at a time per tenant (runs of a session queue anyway): <c>chat.send</c> on
/// <c>agent:main:main</c> with a new idempotency key, then wait for the <c>chat</c> event with
/// state <c>final</c> for that runId. Runs ending in <c>error</c>/<c>aborted</c>, or a runId that
/// is not the idempotency key, are anomalies.
/// </summary>
internal static class ChatScenario
{
    private const string Name = "chat";
    private const string SessionKey = "agent:main:main";
    private const string Message = "hello from the edge load bench";
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(30);

    public static async Task RunAsync(BenchEnvironment env, SiloProcess silo, IReadOnlyList<BenchTenant> tenants, Report report, CancellationToken ct)
    {
        var options = env.Options;
        Console.WriteLine($"\n# 4. Chat runs (echo provider) — {tenants.Count} tenants in parallel, 1 connection and 1 run at a time each, " +
            $"{options.Rounds} rounds × {options.DurationSeconds:0.#} s, {options.StorageName}");
        var clients = await LoadHelpers.OpenAsync(silo.WebSocketUri, tenants, Name, OnEvent, ct);
        foreach (var client in clients) client.Tag = new ConcurrentDictionary<string, TaskCompletionSource<string>>(StringComparer.Ordinal);
        try
        {
            var warmup = await RunRoundAsync(clients, TimeSpan.FromSeconds(Math.Min(2, options.DurationSeconds)), silo.Pid);
            Console.WriteLine($"  warm-up: {warmup.PerSecond:0.0} runs/s");
            var rounds = new List<RoundResult>();
            for (var round = 0; round < options.Rounds; round++)
            {
                ct.ThrowIfCancellationRequested();
                var result = await RunRoundAsync(clients, options.Duration, silo.Pid);
                rounds.Add(result);
                Console.WriteLine($"  round {round + 1}: {result.PerSecond:0.0} runs/s, run (send → final) p50 {Stats.Ms(result.RunP50)} p99 {Stats.Ms(result.RunP99)}, " +
                    $"chat.send ack p50 {Stats.Ms(result.AckP50)} p99 {Stats.Ms(result.AckP99)}, {result.Failed} failed, " +
                    $"CPU silo {result.SiloCores:0.00} + client {result.ClientCores:0.00} + other processes {result.OtherCores:0.00} cores");
            }
            report.Add(Name, $"chat runs/s ({clients.Count} tenants, echo provider)", [.. rounds.Select(r => r.PerSecond)], v => v.ToString("0.0"));
            report.Add(Name, "chat runs/s per silo CPU core", [.. rounds.Select(r => r.PerSecond / r.SiloCores)], v => v.ToString("0"));
            report.Add(Name, "run latency chat.send → final p50", [.. rounds.Select(r => r.RunP50)], Stats.Ms);
            report.Add(Name, "run latency chat.send → final p99", [.. rounds.Select(r => r.RunP99)], Stats.Ms);
            report.Add(Name, "chat.send ack p50", [.. rounds.Select(r => r.AckP50)], Stats.Ms);
            report.Add(Name, "chat.send ack p99", [.. rounds.Select(r => r.AckP99)], Stats.Ms);
            report.Add(Name, "CPU cores used: silo", [.. rounds.Select(r => r.SiloCores)], v => v.ToString("0.00"));
            report.Add(Name, "CPU cores used by other processes (noise)", [.. rounds.Select(r => r.OtherCores)], v => v.ToString("0.00"));
            var failed = rounds.Sum(r => r.Failed);
            if (failed > 0) report.Note(Name, $"{failed} runs failed or timed out (see anomalies)");
        }
        finally
        {
            await LoadHelpers.CloseAllAsync(clients);
        }
    }

    private static ConcurrentDictionary<string, TaskCompletionSource<string>> Waiters(GatewayClient client) =>
        (ConcurrentDictionary<string, TaskCompletionSource<string>>)client.Tag!;

    /// <summary>Completes a run's waiter on its terminal <c>chat</c> event (final, error or aborted).</summary>
    private static void OnEvent(GatewayClient client, string name, ReadOnlySpan<byte> payload)
    {
        if (name != "chat" || payload.IsEmpty || client.Tag is null) return;
        var reader = new Utf8JsonReader(payload);
        string? runId = null, state = null;
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName && (runId is null || state is null))
        {
            var isRun = reader.ValueTextEquals("runId"u8);
            var isState = reader.ValueTextEquals("state"u8);
            reader.Read();
            if (isRun) runId = reader.GetString();
            else if (isState) state = reader.GetString();
            else reader.Skip();
        }
        if (runId is null || state is not ("final" or "error" or "aborted")) return;
        if (Waiters(client).TryRemove(runId, out var waiter)) waiter.TrySetResult(state);
        else Observations.Global.Anomaly(Name, $"terminal chat event '{state}' for a run this connection is not waiting for", runId);
    }

    private sealed record RoundResult(double PerSecond, double RunP50, double RunP99, double AckP50, double AckP99, long Failed, double SiloCores, double ClientCores, double OtherCores);

    private static async Task<RoundResult> RunRoundAsync(List<GatewayClient> clients, TimeSpan duration, int siloPid)
    {
        var cpu = new LoadHelpers.CpuMeter(siloPid);
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        LatencySamples runs = new(), acks = new();
        long failed = 0;
        var workers = clients.Where(c => !c.IsClosed).Select(async client =>
        {
            await Task.Yield();
            var waiters = Waiters(client);
            while (Stopwatch.GetTimestamp() < end)
            {
                var key = Guid.NewGuid().ToString();
                var waiter = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
                waiters[key] = waiter;
                var sent = Stopwatch.GetTimestamp();
                try
                {
                    var ack = await client.RequestAsync("chat.send", ClientFrames.ChatSendParams(SessionKey, Message, key), keepPayload: true)
                        .WaitAsync(RunTimeout);
                    var acked = Stopwatch.GetTimestamp();
                    if (!ack.Ok)
                    {
                        Interlocked.Increment(ref failed);
                        waiters.TryRemove(key, out _);
                        await Task.Delay(50); // do not spin on a refusing gateway
                        continue;
                    }
                    CheckAck(ack.Payload, key);
                    var state = await waiter.Task.WaitAsync(RunTimeout);
                    var finished = Stopwatch.GetTimestamp();
                    if (state != "final")
                    {
                        Interlocked.Increment(ref failed);
                        Observations.Global.Anomaly(Name, $"run ended with chat state '{state}'", key);
                    }
                    else if (finished <= end)
                    {
                        runs.Add(Stopwatch.GetElapsedTime(sent, finished).TotalMilliseconds);
                        acks.Add(Stopwatch.GetElapsedTime(sent, acked).TotalMilliseconds);
                    }
                }
                catch (TimeoutException)
                {
                    Interlocked.Increment(ref failed);
                    waiters.TryRemove(key, out _);
                    Observations.Global.Anomaly(Name, $"no chat.send answer or terminal chat event within {RunTimeout.TotalSeconds:0} s", key);
                }
                catch (Exception ex) when (ex is IOException or InvalidDataException)
                {
                    Interlocked.Increment(ref failed);
                    return; // connection gone or broken frame (recorded by the client)
                }
            }
        }).ToList();
        await Task.WhenAll(workers).WaitAsync(duration + RunTimeout + TimeSpan.FromSeconds(10));
        var (siloCores, clientCores, otherCores) = cpu.Cores();
        var (runP50, runP99) = runs.Percentiles();
        var (ackP50, ackP99) = acks.Percentiles();
        return new RoundResult(runs.Count / duration.TotalSeconds, runP50, runP99, ackP50, ackP99, failed, siloCores, clientCores, otherCores);
    }

    /// <summary>The ack is <c>{runId (= idempotencyKey), status:"started"}</c>.</summary>
    private static void CheckAck(byte[]? payload, string key)
    {
        if (payload is null) return;
        using var doc = JsonDocument.Parse(payload);
        var root = doc.RootElement;
        var runId = root.TryGetProperty("runId", out var r) ? r.GetString() : null;
        if (runId != key) Observations.Global.Anomaly(Name, "chat.send runId differs from idempotencyKey", root.GetRawText());
        var status = root.TryGetProperty("status", out var s) ? s.GetString() : null;
        if (status != "started") Observations.Global.Anomaly(Name, $"chat.send status '{status}' (expected 'started')", root.GetRawText());
    }
}
