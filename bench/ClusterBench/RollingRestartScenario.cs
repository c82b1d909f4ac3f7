using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using OpenClaw.Bench.EdgeLoad;

namespace OpenClaw.Bench.Cluster;

/// <summary>
/// Scenario <c>rolling</c>: under load through HAProxy (every client alternates <c>health</c> and
/// <c>chat.history</c> back to back, reconnecting through the balancer when its socket closes),
/// restart every silo, then every edge, one at a time with <c>scripts/cluster.sh restart-*</c>
/// (SIGTERM, wait for the exit, start again, wait healthy). Counts, per restart and in total:
/// answers, the protocol's retryable refusals (UNAVAILABLE with retryable true), other failures,
/// requests in flight when a socket closed (after the gateway's <c>shutdown</c> event or without
/// one), reconnects, and the longest time any client went without an answer.
/// </summary>
internal static class RollingRestartScenario
{
    private const string HistoryParams = """{"sessionKey":"agent:main:main","limit":20}""";
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(100);

    public static async Task RunAsync(EndToEndSettings settings)
    {
        await using var cluster = await LocalCluster.StartAsync(settings.RepoRoot, settings.WorkDirectory, settings.Silos, settings.Edges, settings.ExtraTenants);
        Console.WriteLine($"rolling: {settings.Clients} clients ({(settings.SharedAddress ? "all from 127.0.0.2" : "each from its own 127.0.0.x")}) over {cluster.Tenants.Count} tenants through {cluster.Url}, "
            + $"health + chat.history back to back; {settings.Silos} silos then {settings.Edges} edges restarted one at a time; {Environment.ProcessorCount} cores");
        var counters = new Counters();
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, settings.Clients)
            .Select(i => Task.Run(() => RunClientAsync(cluster.Url, cluster.Tenants[i % cluster.Tenants.Count].Token,
                settings.SharedAddress ? LbClient.LocalAddress(0) : LbClient.LocalAddress(i), counters, stop.Token)))
            .ToList();
        var phases = new List<(string Name, double Seconds, Snapshot Delta)>();
        try
        {
            await Task.Delay(Settle);
            Console.WriteLine($"  load running: {counters.Take().Describe()}");
            async Task PhaseAsync(string name, Func<Task> action)
            {
                var before = counters.Take();
                counters.TakePhaseMaxGapMs();
                var started = Stopwatch.GetTimestamp();
                await action();
                await Task.Delay(TimeSpan.FromSeconds(1)); // what the restart left in flight lands in its phase
                var delta = counters.Take().Minus(before);
                var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
                phases.Add((name, seconds, delta));
                Console.WriteLine($"  {name}: {seconds:0.0} s; {delta.Describe()}; longest wait for an answer {counters.TakePhaseMaxGapMs() / 1000:0.00} s");
            }
            for (var i = 1; i <= settings.Silos; i++)
            {
                var index = i;
                await PhaseAsync($"restart silo {index}", () => cluster.RestartSiloAsync(index));
            }
            for (var i = 1; i <= settings.Edges; i++)
            {
                var index = i;
                await PhaseAsync($"restart edge {index}", () => cluster.RestartEdgeAsync(index));
            }
            await Task.Delay(Settle);
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(clients);
        }
        var total = counters.Take();
        Console.WriteLine($"rolling total: {total.Describe()}");
        Console.WriteLine($"rolling: longest time a client went without an answer: {counters.MaxGapMs / 1000.0:0.00} s");
        foreach (var (kind, samples) in counters.FailureSamples)
            Console.WriteLine($"  e.g. {kind}: {string.Join(" | ", samples.Take(3))}");
    }

    private static async Task RunClientAsync(Uri url, string token, IPAddress localAddress, Counters counters, CancellationToken stop)
    {
        LbClient? connection = null;
        long? lastAnswer = null; // gaps are measured between answers, not from the first connect
        var connectedBefore = false;
        var n = 0;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                if (connection is { ShutdownAnnounced: true })
                {
                    // As the protocol's clients do: after the gateway's shutdown event, send nothing
                    // more on that socket (its answers still come), reconnect through the balancer.
                    await connection.DisposeAsync();
                    connection = null;
                }
                if (connection is null)
                {
                    try
                    {
                        connection = await LbClient.ConnectAsync(url, token, localAddress, CancellationToken.None);
                        if (connectedBefore) Interlocked.Increment(ref counters.Reconnects);
                        connectedBefore = true;
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !stop.IsCancellationRequested)
                    {
                        Interlocked.Increment(ref counters.ConnectFailures);
                        counters.Sample("connect failed", ex.Message);
                        await Task.Delay(ReconnectDelay, CancellationToken.None);
                        continue;
                    }
                }
                var history = n++ % 2 == 1;
                LbReply reply;
                try
                {
                    reply = await connection.RequestAsync(history ? "chat.history" : "health", history ? HistoryParams : null, CancellationToken.None);
                }
                catch (ConnectionLostException ex)
                {
                    if (ex.ShutdownAnnounced)
                    {
                        Interlocked.Increment(ref counters.LostAfterShutdown);
                    }
                    else
                    {
                        Interlocked.Increment(ref counters.LostUnannounced);
                        counters.Sample("connection lost without shutdown event", ex.Message);
                    }
                    await connection.DisposeAsync();
                    connection = null;
                    continue;
                }
                if (reply.Ok)
                {
                    Interlocked.Increment(ref counters.Answers);
                    var now = Stopwatch.GetTimestamp();
                    if (lastAnswer is { } last) counters.Gap(Stopwatch.GetElapsedTime(last, now).TotalMilliseconds);
                    lastAnswer = now;
                }
                else if (reply.ErrorCode == "UNAVAILABLE" && reply.Retryable)
                {
                    Interlocked.Increment(ref counters.Retryable);
                    counters.Sample("retryable", reply.ErrorMessage ?? "");
                    await Task.Delay(RetryDelay, CancellationToken.None);
                }
                else
                {
                    Interlocked.Increment(ref counters.Failed);
                    counters.Sample($"{reply.ErrorCode} retryable={reply.Retryable}", reply.ErrorMessage ?? "");
                }
            }
        }
        finally
        {
            if (connection is not null) await connection.DisposeAsync();
        }
    }

    private sealed record Snapshot(long Answers, long Retryable, long Failed, long LostAfterShutdown, long LostUnannounced, long Reconnects, long ConnectFailures)
    {
        public Snapshot Minus(Snapshot o) => new(Answers - o.Answers, Retryable - o.Retryable, Failed - o.Failed,
            LostAfterShutdown - o.LostAfterShutdown, LostUnannounced - o.LostUnannounced, Reconnects - o.Reconnects, ConnectFailures - o.ConnectFailures);

        public string Describe() =>
            $"{Stats.Number(Answers)} answers, {Retryable} retryable UNAVAILABLE, {Failed} failed, "
            + $"in flight at a close: {LostAfterShutdown} after a shutdown event + {LostUnannounced} without, {Reconnects} reconnects ({ConnectFailures} failed attempts)";
    }

    private sealed class Counters
    {
        public long Answers;
        public long Retryable;
        public long Failed;
        public long LostAfterShutdown;
        public long LostUnannounced;
        public long Reconnects;
        public long ConnectFailures;
        private long _maxGapMicros;
        private long _phaseMaxGapMicros;

        public ConcurrentDictionary<string, ConcurrentQueue<string>> FailureSamples { get; } = new();

        public double MaxGapMs => Interlocked.Read(ref _maxGapMicros) / 1000.0;

        public Snapshot Take() => new(Interlocked.Read(ref Answers), Interlocked.Read(ref Retryable), Interlocked.Read(ref Failed),
            Interlocked.Read(ref LostAfterShutdown), Interlocked.Read(ref LostUnannounced), Interlocked.Read(ref Reconnects), Interlocked.Read(ref ConnectFailures));

        /// <summary>The longest gap since the previous call.</summary>
        public double TakePhaseMaxGapMs() => Interlocked.Exchange(ref _phaseMaxGapMicros, 0) / 1000.0;

        public void Gap(double ms)
        {
            var micros = (long)(ms * 1000);
            Raise(ref _maxGapMicros, micros);
            Raise(ref _phaseMaxGapMicros, micros);
        }

        private static void Raise(ref long max, long value)
        {
            long seen;
            while (value > (seen = Interlocked.Read(ref max)) && Interlocked.CompareExchange(ref max, value, seen) != seen)
            {
            }
        }

        public void Sample(string kind, string message)
        {
            var queue = FailureSamples.GetOrAdd(kind, _ => new ConcurrentQueue<string>());
            if (queue.Count < 3) queue.Enqueue(message.Length > 200 ? message[..200] + "…" : message);
        }
    }
}
