using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenClaw.Bench.Runtime;
using OpenClaw.Runtime;
using OpenClaw.Runtime.TestingHost;

// Runtime benchmarks: call throughput and latency, activation cost and memory, eviction.
// Usage: dotnet run -c Release --project bench/RuntimeBench -- [calls|activation|instrumentation|all] [--rounds N]
var mode = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "all";
var rounds = ArgValue("--rounds", 5);
var activations = ArgValue("--activations", 100_000);
Console.WriteLine($"# OpenClaw runtime bench — {Environment.ProcessorCount} cores, .NET {Environment.Version}, server GC {System.Runtime.GCSettings.IsServerGC}");

if (mode is "calls" or "all") await CallBenchmarks();
if (mode is "activation" or "all") await ActivationBenchmarks();
if (mode is "instrumentation") await InstrumentationBench.RunAsync(rounds, MeasureThroughput);
return;

int ArgValue(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1]) : fallback;
}

async Task CallBenchmarks()
{
    await using var silo = await TestSilo.StartAsync(typeof(PingGrain).Assembly, o => o.MaxActivations = 1_000_000);
    var factory = silo.GrainFactory;

    // Latency: one caller, one call at a time.
    var one = factory.GetGrain<IPingGrain>("latency");
    for (var i = 0; i < 20_000; i++) await one.Ping(i);
    var samples = new double[50_000];
    for (var i = 0; i < samples.Length; i++)
    {
        var start = Stopwatch.GetTimestamp();
        await one.Ping(i);
        samples[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
    }
    Array.Sort(samples);
    Console.WriteLine($"latency, 1 caller, 1 grain: p50 {samples[samples.Length / 2]:0.0} us, p99 {samples[(int)(samples.Length * 0.99)]:0.0} us");

    foreach (var (grains, concurrency) in new[] { (1, 1), (1, 256), (1000, 1000), (10_000, 10_000) })
    {
        var references = Enumerable.Range(0, grains).Select(i => factory.GetGrain<IPingGrain>($"g{grains}-{i}")).ToArray();
        await Task.WhenAll(references.Select(r => r.Ping(0))); // activate
        var results = new List<double>();
        for (var round = 0; round < rounds; round++)
            results.Add(await MeasureThroughput(references, concurrency, TimeSpan.FromSeconds(2)));
        results.Sort();
        Console.WriteLine($"throughput, {grains} grain(s), {concurrency} concurrent callers: median {results[results.Count / 2]:N0} calls/s (min {results[0]:N0}, max {results[^1]:N0})");
    }
}

static async Task<double> MeasureThroughput(IPingGrain[] grains, int concurrency, TimeSpan duration)
{
    long total = 0;
    var stop = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
    var started = Stopwatch.GetTimestamp();
    var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
    {
        var grain = grains[w % grains.Length];
        long count = 0;
        while ((count & 63) != 0 || Stopwatch.GetTimestamp() < stop)
        {
            await grain.Ping((int)count);
            count++;
        }
        Interlocked.Add(ref total, count);
    })).ToArray();
    await Task.WhenAll(workers);
    return total / Stopwatch.GetElapsedTime(started).TotalSeconds;
}

async Task ActivationBenchmarks()
{
    var storage = new InMemoryGrainStorage();
    // Every grain has a small stored state to load on activation.
    var payload = GrainSerializer.SerializeToUtf8Bytes(new SmallState { Counter = 7, Name = "tenant" });
    for (var i = 0; i < activations; i++)
        await storage.WriteAsync(new GrainStateKey("statefulbench", $"t{i}", "small"), payload, 0, CancellationToken.None);

    await using var silo = await TestSilo.StartAsync(typeof(PingGrain).Assembly,
        o => { o.MaxActivations = activations * 2; o.CollectionAge = TimeSpan.FromMinutes(30); },
        s => s.AddKeyedSingleton<IGrainStorage>(GrainStorageNames.Default, storage));
    var factory = silo.GrainFactory;
    var references = Enumerable.Range(0, activations).Select(i => factory.GetGrain<IStatefulBenchGrain>($"t{i}")).ToArray();
    await references[0].Touch();
    await silo.Runtime.DeactivateAsync(((GrainReference)(object)references[0]).GrainId);

    var baseline = Heap();
    var started = Stopwatch.GetTimestamp();
    const int batch = 1000;
    for (var i = 0; i < references.Length; i += batch)
        await Task.WhenAll(references.Skip(i).Take(batch).Select(r => r.Touch()));
    var elapsed = Stopwatch.GetElapsedTime(started);
    var loaded = Heap();
    Console.WriteLine($"activation: {activations:N0} grains with stored state in {elapsed.TotalMilliseconds:N0} ms = {elapsed.TotalMicroseconds / activations:0.0} us each ({activations / elapsed.TotalSeconds:N0}/s)");
    Console.WriteLine($"memory: {(loaded - baseline) / (double)activations:N0} bytes of managed heap per idle activation (baseline {baseline / 1024 / 1024:N1} MiB, loaded {loaded / 1024 / 1024:N1} MiB)");

    silo.Time.Advance(TimeSpan.FromMinutes(31));
    started = Stopwatch.GetTimestamp();
    await silo.Runtime.CollectIdleActivationsAsync();
    var collectElapsed = Stopwatch.GetElapsedTime(started);
    var after = Heap();
    Console.WriteLine($"eviction: {silo.Runtime.ActivationCount} activations left after the collection age (collected in {collectElapsed.TotalMilliseconds:N0} ms); heap {after / 1024 / 1024:N1} MiB = {100.0 * (after - baseline) / baseline:+0.0;-0.0}% vs baseline");
}

static long Heap()
{
    for (var i = 0; i < 3; i++)
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
    }
    return GC.GetTotalMemory(forceFullCollection: true);
}
