using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenClaw.Bench.Cluster;
using OpenClaw.Bench.EdgeLoad;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Runtime;
using OpenClaw.Runtime.Client;
using OpenClaw.Runtime.Postgres;

// Cluster benchmarks against real silo processes on a PostgreSQL named by OPENCLAW_POSTGRES:
//   scripts/with-postgres.sh dotnet bench/ClusterBench/bin/Release/net10.0/openclaw-clusterbench.dll calls|failover|membership [--rounds 3] [--seconds 10] [--workers 256]
// End to end through HAProxy, on a cluster of its own from scripts/cluster.sh (no OPENCLAW_POSTGRES needed):
//   dotnet bench/ClusterBench/bin/Release/net10.0/openclaw-clusterbench.dll e2e [--rounds 3] [--seconds 10] [--clients 64] [--silos 2] [--edges 2] [--tenants 16]
//   dotnet bench/ClusterBench/bin/Release/net10.0/openclaw-clusterbench.dll rolling [--clients 32] [--silos 2] [--edges 2] [--tenants 16] [--shared-address]
// (clients connect from 127.0.0.2, 127.0.0.3, …; --shared-address: all from 127.0.0.2, as behind one NAT)
var scenario = args.FirstOrDefault() ?? "calls";
int Option(string name, int fallback) =>
    args.SkipWhile(a => a != "--" + name).Skip(1).FirstOrDefault() is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
var rounds = Option("rounds", 3);
var seconds = Option("seconds", 10);
var workers = Option("workers", 256);
if (scenario is "e2e" or "rolling")
{
    var e2eWork = Directory.CreateTempSubdirectory("openclaw-clusterbench-").FullName;
    try
    {
        var settings = new EndToEndSettings(Directory.GetCurrentDirectory(), e2eWork, rounds, seconds,
            Option("clients", scenario == "e2e" ? 64 : 32), Option("silos", 2), Option("edges", 2), Option("tenants", 16),
            SharedAddress: args.Contains("--shared-address"));
        if (scenario == "e2e") await EndToEndScenario.RunAsync(settings);
        else await RollingRestartScenario.RunAsync(settings);
    }
    finally
    {
        Directory.Delete(e2eWork, recursive: true);
    }
    return;
}
var silos = Option("silos", 1);
var postgres = Environment.GetEnvironmentVariable("OPENCLAW_POSTGRES")
    ?? throw new InvalidOperationException("Set OPENCLAW_POSTGRES (run under scripts/with-postgres.sh).");
var repoRoot = Directory.GetCurrentDirectory();
var work = Directory.CreateTempSubdirectory("openclaw-clusterbench-").FullName;
var clusterId = "bench-" + Guid.NewGuid().ToString("N")[..8];
// Timings for the benchmark's cluster: the documented defaults, so failover figures are the real ones.
string[] siloArgs = ["--cluster:clusterId", clusterId];

var nodes = new List<SiloNode>();
try
{
    for (var i = 0; i < Math.Max(silos, scenario == "failover" ? 2 : 1); i++) nodes.Add(await SiloNode.StartAsync(repoRoot, work, postgres, siloArgs));
    using var client = await StartClientAsync();
    var factory = client.Services.GetRequiredService<IGrainFactory>();
    Console.WriteLine($"cluster benchmark '{scenario}': {nodes.Count} silo process(es), client in this process, {Environment.ProcessorCount} cores");
    switch (scenario)
    {
        case "calls":
            await CallsAsync(factory);
            break;
        case "failover":
            await FailoverAsync(factory);
            break;
        case "membership":
            await MembershipAsync(client.Services.GetRequiredService<ClusterClient>());
            break;
        default:
            throw new ArgumentException($"unknown scenario '{scenario}' (calls, failover, membership, e2e, rolling)");
    }
    await client.StopAsync();
}
finally
{
    foreach (var node in nodes) await node.DisposeAsync();
    Directory.Delete(work, recursive: true);
}

async Task<IHost> StartClientAsync()
{
    var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
    builder.Logging.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole();
    builder.Services.AddClusterClient();
    builder.Services.Configure<ClusterOptions>(o => o.ClusterId = clusterId);
    builder.Services.AddPostgresMembership(o => o.ConnectionString = postgres);
    var host = builder.Build();
    await host.StartAsync();
    await host.Services.GetRequiredService<ClusterClient>().Ready.WaitAsync(TimeSpan.FromSeconds(60));
    return host;
}

async Task CallsAsync(IGrainFactory factory)
{
    var grains = Enumerable.Range(0, 1000).Select(i => factory.GetGrain<IClusterProbeGrain>("bench-" + i)).ToArray();
    await Task.WhenAll(grains.Select(g => g.Echo(0))); // activate (and locate) every grain first
    await RunAsync(TimeSpan.FromSeconds(3)); // warm-up
    var throughput = new List<double>();
    var p50s = new List<double>();
    var p99s = new List<double>();
    for (var round = 1; round <= rounds; round++)
    {
        var (calls, samples) = await RunAsync(TimeSpan.FromSeconds(seconds));
        var (p50, p99) = samples.Percentiles();
        throughput.Add(calls / (double)seconds);
        p50s.Add(p50);
        p99s.Add(p99);
        Console.WriteLine($"  round {round}: {Stats.Number(calls / (double)seconds)} calls/s, p50 {Stats.Ms(p50)}, p99 {Stats.Ms(p99)}");
    }
    Console.WriteLine($"calls: {workers} concurrent callers over 1,000 grains: median {Stats.Number(Stats.Median(throughput))} calls/s "
        + $"({Stats.Range(throughput, Stats.Number)}), p50 {Stats.Ms(Stats.Median(p50s))}, p99 {Stats.Ms(Stats.Median(p99s))}");

    async Task<(long Calls, LatencySamples Samples)> RunAsync(TimeSpan duration)
    {
        long calls = 0;
        var samples = new LatencySamples();
        using var stop = new CancellationTokenSource(duration);
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var local = new List<double>(4096);
            var i = w;
            while (!stop.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                await grains[i++ % grains.Length].Echo(i);
                if ((i & 15) == 0) local.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                Interlocked.Increment(ref calls);
            }
            samples.AddRange(local);
        })));
        return (calls, samples);
    }
}

async Task FailoverAsync(IGrainFactory factory)
{
    var results = new List<double>();
    for (var round = 1; round <= rounds; round++)
    {
        var probe = factory.GetGrain<IClusterProbeGrain>("failover-" + round);
        var where = await probe.Where();
        var victim = nodes.First(n => where.StartsWith($"127.0.0.1:{n.ClusterPort}@", StringComparison.Ordinal));
        var killed = Stopwatch.GetTimestamp();
        victim.Kill();
        nodes.Remove(victim);
        await victim.DisposeAsync();
        string after;
        while (true)
        {
            try
            {
                after = await probe.Where();
                break;
            }
            catch (Exception)
            {
                await Task.Delay(20);
            }
        }
        var seconds = Stopwatch.GetElapsedTime(killed).TotalSeconds;
        results.Add(seconds);
        Console.WriteLine($"  round {round}: kill -9 of the silo holding the grain → first successful call after {seconds:0.00} s (now on {after.Split(' ')[0]})");
        nodes.Add(await SiloNode.StartAsync(repoRoot, work, postgres, siloArgs));
    }
    Console.WriteLine($"failover: median {Stats.Median(results):0.00} s from kill -9 to the first successful call ({Stats.Range(results, v => v.ToString("0.00", CultureInfo.InvariantCulture) + " s")})");
}

async Task MembershipAsync(ClusterClient client)
{
    var results = new List<double>();
    for (var round = 1; round <= rounds; round++)
    {
        var before = client.Membership.Active.Count;
        var started = Stopwatch.GetTimestamp();
        var node = await SiloNode.StartAsync(repoRoot, work, postgres, siloArgs);
        var serving = Stopwatch.GetElapsedTime(started).TotalSeconds;
        nodes.Add(node);
        while (client.Membership.Active.Count <= before) await Task.Delay(5);
        var seen = Stopwatch.GetElapsedTime(started).TotalSeconds;
        results.Add(seen - serving);
        Console.WriteLine($"  round {round}: new silo serving after {serving:0.00} s (process start), the client saw it after {seen:0.00} s");
    }
    Console.WriteLine($"membership: a new silo is seen by a client a median {Stats.Median(results):0.00} s after its /health turned 200");
}
