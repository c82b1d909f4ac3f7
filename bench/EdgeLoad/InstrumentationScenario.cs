namespace OpenClaw.Bench.EdgeLoad;

/// <summary>
/// Instrumentation overhead: the warm-health load (edge → grain → edge) against two silos, one
/// with telemetry off (<c>--telemetry:enabled=false</c>: no meter listener, no trace listener) and
/// one with metrics on (Prometheus exporter aggregating every instrument) and tracing on (every
/// request sampled: edge span + grain span; no exporter, so the cost measured is recording).
/// Rounds alternate between the two so machine noise hits both alike.
/// </summary>
internal static class InstrumentationScenario
{
    private const string Name = "instrumentation";

    public static async Task RunAsync(BenchEnvironment env, Report report, CancellationToken ct)
    {
        var options = env.Options;
        var tenants = env.Tenants("instr", options.Tenants);
        Console.WriteLine($"\n# Instrumentation overhead — warm health, {tenants.Count} tenants × {options.Connections} connections × {options.InFlight} in flight, " +
            $"{options.Rounds} rounds × {options.DurationSeconds:0.#} s per side, alternating");
        await using var off = await SiloProcess.StartAsync(env, "instr-off", tenants, ["--telemetry:enabled=false"], ct);
        await using var on = await SiloProcess.StartAsync(env, "instr-on", tenants, ["--telemetry:tracingEnabled=true", "--telemetry:tracingSampleRatio=1"], ct);
        var offClients = await LoadHelpers.OpenAsync(off.WebSocketUri, tenants.SelectMany(t => Enumerable.Repeat(t, options.Connections)), Name, null, ct);
        var onClients = await LoadHelpers.OpenAsync(on.WebSocketUri, tenants.SelectMany(t => Enumerable.Repeat(t, options.Connections)), Name, null, ct);
        try
        {
            await WarmHealthScenario.RunRoundAsync(offClients, options.InFlight, options.Duration, off.Pid);
            await WarmHealthScenario.RunRoundAsync(onClients, options.InFlight, options.Duration, on.Pid);
            var offRounds = new List<WarmHealthScenario.RoundResult>();
            var onRounds = new List<WarmHealthScenario.RoundResult>();
            for (var round = 0; round < options.Rounds; round++)
            {
                ct.ThrowIfCancellationRequested();
                // Alternate which side goes first.
                foreach (var side in round % 2 == 0 ? new[] { false, true } : [true, false])
                {
                    var result = await WarmHealthScenario.RunRoundAsync(side ? onClients : offClients, options.InFlight, options.Duration, side ? on.Pid : off.Pid);
                    (side ? onRounds : offRounds).Add(result);
                    Console.WriteLine($"  round {round + 1} telemetry {(side ? "on " : "off")}: {Stats.Number(result.PerSecond)} req/s, p50 {Stats.Ms(result.P50)}, p99 {Stats.Ms(result.P99)}, " +
                        $"{result.Errors} errors, silo CPU {result.SiloCores:0.00} cores");
                }
            }
            var offRate = offRounds.Select(r => r.PerSecond).ToList();
            var onRate = onRounds.Select(r => r.PerSecond).ToList();
            report.Add(Name, "health req/s, telemetry off", offRate, Stats.Number);
            report.Add(Name, "health req/s, metrics + tracing on", onRate, Stats.Number);
            report.Add(Name, "health req/s per silo CPU core, off", [.. offRounds.Select(r => r.PerSecond / r.SiloCores)], Stats.Number);
            report.Add(Name, "health req/s per silo CPU core, on", [.. onRounds.Select(r => r.PerSecond / r.SiloCores)], Stats.Number);
            report.Add(Name, "health latency p50, off", [.. offRounds.Select(r => r.P50)], Stats.Ms);
            report.Add(Name, "health latency p50, on", [.. onRounds.Select(r => r.P50)], Stats.Ms);
            var ratio = Stats.Median(onRate) / Stats.Median(offRate);
            report.Note(Name, $"throughput on/off (medians): {ratio:0.000} ({(ratio - 1) * 100:+0.0;-0.0}%); target within 5%: {(ratio >= 0.95 ? "met" : "missed")}");
        }
        finally
        {
            await LoadHelpers.CloseAllAsync(offClients);
            await LoadHelpers.CloseAllAsync(onClients);
        }
    }
}
