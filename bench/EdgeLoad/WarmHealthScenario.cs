using System.Diagnostics;

namespace OpenClaw.Bench.EdgeLoad;

/// <summary>
/// Scenario 2: warm <c>health</c> throughput edge → grain → edge. <c>tenants × connections</c>
/// sockets, each with <c>inflight</c> requests pipelined (a new one sent as soon as one is
/// answered). Counts answers received within each round's window; latency is per request,
/// send to answer.
/// </summary>
internal static class WarmHealthScenario
{
    private const string Name = "warm";
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(30);

    public static async Task RunAsync(BenchEnvironment env, SiloProcess silo, IReadOnlyList<BenchTenant> tenants, Report report, CancellationToken ct)
    {
        var options = env.Options;
        Console.WriteLine($"\n# 2. Warm health — {tenants.Count} tenants × {options.Connections} connections × {options.InFlight} in flight, " +
            $"{options.Rounds} rounds × {options.DurationSeconds:0.#} s, {options.StorageName}");
        var clients = await LoadHelpers.OpenAsync(silo.WebSocketUri,
            tenants.SelectMany(t => Enumerable.Repeat(t, options.Connections)), Name, null, ct);
        Console.WriteLine($"  {clients.Count} connections open");
        if (clients.Count > 0)
        {
            var sample = await clients[0].RequestAsync("health", keepPayload: true).WaitAsync(TimeSpan.FromSeconds(30), ct);
            Console.WriteLine($"  health answer payload: {sample.Payload?.Length ?? 0} bytes");
        }
        try
        {
            // A fresh silo is still tiering up its JIT code: one full-length round before measuring.
            var warmup = await RunRoundAsync(clients, options.InFlight, options.Duration, silo.Pid);
            Console.WriteLine($"  warm-up: {Stats.Number(warmup.PerSecond)} req/s");
            var rounds = new List<RoundResult>();
            for (var round = 0; round < options.Rounds; round++)
            {
                ct.ThrowIfCancellationRequested();
                var result = await RunRoundAsync(clients, options.InFlight, options.Duration, silo.Pid);
                rounds.Add(result);
                Console.WriteLine($"  round {round + 1}: {Stats.Number(result.PerSecond)} req/s, p50 {Stats.Ms(result.P50)}, p99 {Stats.Ms(result.P99)}, " +
                    $"{result.Errors} errors, CPU silo {result.SiloCores:0.00} + client {result.ClientCores:0.00} + other processes {result.OtherCores:0.00} cores");
            }
            var rate = rounds.Select(r => r.PerSecond).ToList();
            report.Add(Name, $"health req/s ({clients.Count} conns × {options.InFlight} in flight)", rate, Stats.Number,
                Report.Target("", Stats.Median(rate), 40_000, atMost: false, "req/s"));
            report.Add(Name, "health req/s per silo CPU core (less sensitive to noise)", [.. rounds.Select(r => r.PerSecond / r.SiloCores)], Stats.Number);
            report.Add(Name, "health latency p50", [.. rounds.Select(r => r.P50)], Stats.Ms);
            report.Add(Name, "health latency p99", [.. rounds.Select(r => r.P99)], Stats.Ms);
            report.Add(Name, "CPU cores used: silo", [.. rounds.Select(r => r.SiloCores)], v => v.ToString("0.00"));
            report.Add(Name, "CPU cores used by other processes (noise)", [.. rounds.Select(r => r.OtherCores)], v => v.ToString("0.00"));
            report.Add(Name, "CPU cores used: bench client", [.. rounds.Select(r => r.ClientCores)], v => v.ToString("0.00"));
            var errors = rounds.Sum(r => r.Errors);
            if (errors > 0) report.Note(Name, $"{errors} health requests failed (see anomalies)");
            if (clients.Count(c => c.IsClosed) is var lost and > 0) report.Note(Name, $"{lost} of {clients.Count} connections lost during the run");
        }
        finally
        {
            await LoadHelpers.CloseAllAsync(clients);
        }
    }

    internal sealed record RoundResult(double PerSecond, double P50, double P99, long Errors, double SiloCores, double ClientCores, double OtherCores);

    internal static async Task<RoundResult> RunRoundAsync(List<GatewayClient> clients, int inFlight, TimeSpan duration, int siloPid)
    {
        var live = clients.Where(c => !c.IsClosed).ToList();
        var cpu = new LoadHelpers.CpuMeter(siloPid);
        var started = Stopwatch.GetTimestamp();
        var end = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = new List<Task<Worker>>(live.Count * inFlight);
        foreach (var client in live)
            for (var i = 0; i < inFlight; i++)
                workers.Add(RunWorkerAsync(client, end));

        try
        {
            await Task.WhenAll(workers).WaitAsync(duration + DrainTimeout);
        }
        catch (TimeoutException)
        {
            var pending = live.Sum(c => c.PendingCount);
            Observations.Global.Anomaly(Name, $"requests still unanswered {DrainTimeout.TotalSeconds:0} s after the round ended", $"{pending} pending");
            throw new InvalidOperationException($"{pending} health requests unanswered after {DrainTimeout.TotalSeconds:0} s; stopping the scenario");
        }
        var (siloCores, clientCores, otherCores) = cpu.Cores();
        var done = workers.Select(w => w.Result).ToList();
        var latencies = new List<double>(done.Sum(w => w.Latencies.Count));
        foreach (var w in done) latencies.AddRange(w.Latencies);
        latencies.Sort();
        return new RoundResult(done.Sum(w => w.Completed) / duration.TotalSeconds,
            Stats.Percentile(latencies, 50), Stats.Percentile(latencies, 99), done.Sum(w => w.Errors), siloCores, clientCores, otherCores);
    }

    private sealed class Worker
    {
        public readonly List<double> Latencies = new(256);
        public long Completed;
        public long Errors;
    }

    /// <summary>One request at a time until the round ends; answers arriving after the end are not counted.</summary>
    private static async Task<Worker> RunWorkerAsync(GatewayClient client, long end)
    {
        var worker = new Worker();
        await Task.Yield();
        while (Stopwatch.GetTimestamp() < end)
        {
            var sent = Stopwatch.GetTimestamp();
            Response response;
            try
            {
                response = await client.RequestAsync("health");
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException)
            {
                worker.Errors++;
                break; // connection gone or broken frame (recorded by the client)
            }
            var received = Stopwatch.GetTimestamp();
            if (received > end) break;
            if (response.Ok)
            {
                worker.Completed++;
                worker.Latencies.Add(Stopwatch.GetElapsedTime(sent, received).TotalMilliseconds);
            }
            else
            {
                worker.Errors++;
            }
        }
        return worker;
    }
}
