using System.Diagnostics;
using OpenClaw.Bench.EdgeLoad;

namespace OpenClaw.Bench.Cluster;

/// <summary>What the end-to-end scenarios run against and how hard.</summary>
internal sealed record EndToEndSettings(string RepoRoot, string WorkDirectory, int Rounds, int Seconds, int Clients, int Silos, int Edges, int ExtraTenants,
    bool SharedAddress);

/// <summary>
/// Scenario <c>e2e</c>: <c>health</c> requests/s and latency through the whole path, HAProxy →
/// edge → silo (a cluster from scripts/cluster.sh), against the one-process default
/// (<c>openclaw-silo.dll</c>, embedded storage, in-process edge) in the same run. Both serve the
/// same tenants; each of <c>clients</c> WebSockets sends <c>health</c> back to back (one in
/// flight). A warm-up round each, then rounds alternating between the two setups so that noise on
/// the shared machine hits both alike; medians over rounds.
/// </summary>
internal static class EndToEndScenario
{
    private sealed record Round(double PerSecond, double P50, double P99, long Errors, double MachineCores, IReadOnlyList<(string Name, double Cores)> Processes);

    public static async Task RunAsync(EndToEndSettings settings)
    {
        await using var cluster = await LocalCluster.StartAsync(settings.RepoRoot, settings.WorkDirectory, settings.Silos, settings.Edges, settings.ExtraTenants);
        await using var single = await SingleProcessSilo.StartAsync(settings.RepoRoot, settings.WorkDirectory, cluster.Tenants);
        var clusterName = $"cluster (HAProxy → {settings.Edges} edges → {settings.Silos} silos, PostgreSQL)";
        const string singleName = "one process (silo + edge, embedded storage)";
        Console.WriteLine($"e2e: {settings.Clients} WebSockets per setup over {cluster.Tenants.Count} tenants, health back to back, "
            + $"{settings.Rounds} rounds × {settings.Seconds} s alternating; {Environment.ProcessorCount} cores");
        var clusterProcesses = cluster.ProcessGroups();
        var singleProcesses = new List<(string, Func<IEnumerable<int>>)> { ("silo", () => [single.Pid]) };
        var clusterClients = await OpenAsync(cluster.Url, cluster.Tenants, settings.Clients);
        var singleClients = await OpenAsync(single.Url, cluster.Tenants, settings.Clients);
        try
        {
            var duration = TimeSpan.FromSeconds(settings.Seconds);
            Console.WriteLine($"  warm-up: cluster {Stats.Number((await RunRoundAsync(clusterClients, duration, clusterProcesses)).PerSecond)} req/s, "
                + $"one process {Stats.Number((await RunRoundAsync(singleClients, duration, singleProcesses)).PerSecond)} req/s");
            var clusterRounds = new List<Round>();
            var singleRounds = new List<Round>();
            for (var round = 1; round <= settings.Rounds; round++)
            {
                var c = await RunRoundAsync(clusterClients, duration, clusterProcesses);
                var s = await RunRoundAsync(singleClients, duration, singleProcesses);
                clusterRounds.Add(c);
                singleRounds.Add(s);
                Console.WriteLine($"  round {round}: cluster {Describe(c)} | one process {Describe(s)}");
            }
            var clusterRate = Stats.Median(clusterRounds.Select(r => r.PerSecond));
            var singleRate = Stats.Median(singleRounds.Select(r => r.PerSecond));
            Console.WriteLine($"e2e {clusterName}: {Summary(clusterRounds)}");
            Console.WriteLine($"e2e {singleName}: {Summary(singleRounds)}");
            Console.WriteLine($"e2e ratio cluster / one process: {clusterRate / singleRate:0.00} (req/s, medians)");
            Console.WriteLine($"e2e CPU cores, medians: cluster {Cpu(clusterRounds)}; one process {Cpu(singleRounds)}");
            Console.WriteLine($"e2e CPU per health answer (core-µs; machine includes the bench client and other processes): cluster {CostPerThousand(clusterRounds)}; one process {CostPerThousand(singleRounds)}");
        }
        finally
        {
            foreach (var client in clusterClients.Concat(singleClients)) await client.DisposeAsync();
        }
    }

    private static string Describe(Round r) =>
        $"{Stats.Number(r.PerSecond)} req/s p50 {Stats.Ms(r.P50)} p99 {Stats.Ms(r.P99)}{(r.Errors > 0 ? $" {r.Errors} errors" : "")} (machine {r.MachineCores:0.00} cores busy)";

    private static string Cpu(List<Round> rounds) =>
        string.Join(", ", rounds[0].Processes.Select((p, i) => $"{p.Name} {Stats.Median(rounds.Select(r => r.Processes[i].Cores)):0.00}"))
        + $", machine {Stats.Median(rounds.Select(r => r.MachineCores)):0.00}";

    /// <summary>CPU core-microseconds per answer: per process group, and the whole machine (bench client and other processes included).</summary>
    private static string CostPerThousand(List<Round> rounds) =>
        string.Join(", ", rounds[0].Processes.Select((p, i) => $"{p.Name} {Stats.Median(rounds.Select(r => r.Processes[i].Cores / r.PerSecond * 1e6)):0}"))
        + $", machine {Stats.Median(rounds.Select(r => r.MachineCores / r.PerSecond * 1e6)):0}";

    private static string Summary(List<Round> rounds) =>
        $"median {Stats.Number(Stats.Median(rounds.Select(r => r.PerSecond)))} req/s ({Stats.Range(rounds.Select(r => r.PerSecond), Stats.Number)}), "
        + $"p50 {Stats.Ms(Stats.Median(rounds.Select(r => r.P50)))}, p99 {Stats.Ms(Stats.Median(rounds.Select(r => r.P99)))}, "
        + $"{rounds.Sum(r => r.Errors)} errors";

    private static async Task<List<LbClient>> OpenAsync(Uri url, IReadOnlyList<TenantCredentials> tenants, int count)
    {
        var clients = new List<LbClient>(count);
        try
        {
            // A few at a time: a burst of handshakes on 2 cores would only measure the queue.
            for (var i = 0; i < count; i += 8)
                clients.AddRange(await Task.WhenAll(Enumerable.Range(i, Math.Min(8, count - i))
                    .Select(n => LbClient.ConnectAsync(url, tenants[n % tenants.Count].Token, LbClient.LocalAddress(n), CancellationToken.None))));
        }
        catch
        {
            foreach (var client in clients) await client.DisposeAsync();
            throw;
        }
        return clients;
    }

    private static async Task<Round> RunRoundAsync(List<LbClient> clients, TimeSpan duration, IReadOnlyList<(string Name, Func<IEnumerable<int>> Pids)> processes)
    {
        var cpu = new MachineCpu();
        var processCpu = new ProcessCpu([.. processes, ("bench client", () => [Environment.ProcessId])]);
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = await Task.WhenAll(clients.Select(client => Task.Run(async () =>
        {
            var latencies = new List<double>(16384);
            long completed = 0, errors = 0;
            while (Stopwatch.GetTimestamp() < end)
            {
                var sent = Stopwatch.GetTimestamp();
                LbReply reply;
                try
                {
                    reply = await client.RequestAsync("health", null, CancellationToken.None);
                }
                catch (ConnectionLostException)
                {
                    errors++;
                    break;
                }
                var received = Stopwatch.GetTimestamp();
                if (received > end) break;
                if (!reply.Ok)
                {
                    errors++;
                    continue;
                }
                completed++;
                latencies.Add(Stopwatch.GetElapsedTime(sent, received).TotalMilliseconds);
            }
            return (completed, errors, latencies);
        })));
        var cores = cpu.Cores();
        var processCores = processCpu.Cores();
        var all = workers.SelectMany(w => w.latencies).Order().ToList();
        return new Round(workers.Sum(w => w.completed) / duration.TotalSeconds, Stats.Percentile(all, 50), Stats.Percentile(all, 99),
            workers.Sum(w => w.errors), cores, processCores);
    }
}
