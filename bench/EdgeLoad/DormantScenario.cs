using System.Diagnostics;

namespace OpenClaw.Bench.EdgeLoad;

/// <summary>
/// Scenario 1: connecting to a dormant tenant, one connection at a time. Two kinds of dormant
/// tenant: never activated since the silo started ("fresh": token and grain state come from
/// storage), and activated then deactivated by the idle collector (the silo runs with a 2 s idle
/// timeout and 0.5 s collection quantum; the bench waits until <c>/health</c> shows no
/// activations and the edge's 5 s token cache has expired). Per sample: socket open → hello-ok,
/// then the first <c>health</c> (the grain activation; the edge's event subscription right after
/// hello-ok races it), then a second <c>health</c> for comparison.
/// </summary>
internal static class DormantScenario
{
    private const string Name = "dormant";
    private const int IdleTimeoutMs = 2000;
    private static readonly TimeSpan TokenCacheTtl = TimeSpan.FromMilliseconds(5500);

    public static async Task RunAsync(BenchEnvironment env, Report report, CancellationToken ct)
    {
        var options = env.Options;
        var perRound = options.DormantSamples;
        var fresh = env.Tenants("fresh", options.Rounds * perRound);
        var idle = env.Tenants("idle", options.Rounds * perRound);
        Console.WriteLine($"\n# 1. Dormant tenant connect — {options.Rounds} rounds × {perRound} sequential connects per kind, {options.StorageName}");
        await using var silo = await SiloProcess.StartAsync(env, Name, [.. fresh, .. idle],
            ["--multiTenant:userIdleTimeoutMs", IdleTimeoutMs.ToString(), "--runtime:collectionQuantum", "00:00:00.500"], ct);

        // Activate the "idle" tenants (this also warms the silo's code paths), then let them all be collected.
        var activated = await LoadHelpers.ActivateAsync(silo.WebSocketUri, idle, Name, ct);
        var quiet = Stopwatch.StartNew();
        var activations = await WaitForNoActivationsAsync(silo, ct);
        if (quiet.Elapsed < TokenCacheTtl) await Task.Delay(TokenCacheTtl - quiet.Elapsed, ct);
        Console.WriteLine($"  pre-activated {activated} tenants; activations after the idle collector: {activations} (waited {quiet.Elapsed.TotalSeconds:0.0} s)");
        if (activations != 0) Observations.Global.Anomaly(Name, $"activations did not drop to 0 after the idle timeout (still {activations})");

        var kinds = new[] { ("never activated", fresh), ("deactivated", idle) };
        var results = kinds.ToDictionary(k => k.Item1, _ => new List<Round>());
        for (var round = 0; round < options.Rounds; round++)
        {
            foreach (var (kind, tenants) in kinds)
            {
                var sample = await MeasureAsync(silo.WebSocketUri, tenants.Skip(round * perRound).Take(perRound), ct);
                results[kind].Add(sample);
                Console.WriteLine($"  round {round + 1} {kind,-15}: open→hello-ok p50 {Stats.Ms(sample.Hello.P50)} p99 {Stats.Ms(sample.Hello.P99)} | " +
                    $"first health p50 {Stats.Ms(sample.FirstHealth.P50)} p99 {Stats.Ms(sample.FirstHealth.P99)} | " +
                    $"second health p50 {Stats.Ms(sample.SecondHealth.P50)} | upgrade p50 {Stats.Ms(sample.Upgrade.P50)} | {sample.Count} ok, {sample.Failures} failed | load {LoadHelpers.LoadAverage()}");
            }
        }

        foreach (var (kind, rounds) in results)
        {
            var firstP99 = rounds.Select(r => r.FirstHealth.P99).ToList();
            var target = Report.Target("p99", Stats.Median(firstP99), 20, atMost: true)
                + (options.Postgres is null ? " (the target is for PostgreSQL state; this run: file storage)" : "");
            report.Add(Name, $"{kind}: socket open → hello-ok p50", [.. rounds.Select(r => r.Hello.P50)], Stats.Ms);
            report.Add(Name, $"{kind}: socket open → hello-ok p99", [.. rounds.Select(r => r.Hello.P99)], Stats.Ms);
            report.Add(Name, $"{kind}: first health after hello-ok p50", [.. rounds.Select(r => r.FirstHealth.P50)], Stats.Ms);
            report.Add(Name, $"{kind}: first health after hello-ok p99", firstP99, Stats.Ms, target);
            report.Add(Name, $"{kind}: second health p50 / p99", [.. rounds.Select(r => r.SecondHealth.P50)], Stats.Ms,
                $"p99 median {Stats.Ms(Stats.Median(rounds.Select(r => r.SecondHealth.P99)))}");
        }
    }

    private sealed record Round((double P50, double P99) Upgrade, (double P50, double P99) Hello,
        (double P50, double P99) FirstHealth, (double P50, double P99) SecondHealth, int Count, int Failures);

    private static async Task<Round> MeasureAsync(Uri uri, IEnumerable<BenchTenant> tenants, CancellationToken ct)
    {
        LatencySamples upgrade = new(), hello = new(), first = new(), second = new();
        var failures = 0;
        foreach (var tenant in tenants)
        {
            try
            {
                await using var client = await GatewayClient.ConnectAsync(uri, tenant.Id, tenant.Token, Name, null, ct);
                var started = Stopwatch.GetTimestamp();
                var firstResponse = await client.RequestAsync("health").WaitAsync(TimeSpan.FromSeconds(30), ct);
                var firstMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                started = Stopwatch.GetTimestamp();
                var secondResponse = await client.RequestAsync("health").WaitAsync(TimeSpan.FromSeconds(30), ct);
                var secondMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (!firstResponse.Ok || !secondResponse.Ok)
                {
                    failures++;
                    continue;
                }
                upgrade.Add(client.UpgradeMs);
                hello.Add(client.HelloMs);
                first.Add(firstMs);
                second.Add(secondMs);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                failures++;
                Observations.Global.Anomaly(Name, $"dormant connect/health failed: {ex.GetType().Name}", ex.Message);
            }
        }
        return new Round(upgrade.Percentiles(), hello.Percentiles(), first.Percentiles(), second.Percentiles(), hello.Count, failures);
    }

    private static async Task<int> WaitForNoActivationsAsync(SiloProcess silo, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        int activations;
        while ((activations = await silo.HealthAsync(ct)) > 0 && deadline.Elapsed < TimeSpan.FromSeconds(30))
            await Task.Delay(250, ct);
        return activations;
    }
}
