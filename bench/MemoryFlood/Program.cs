using OpenClaw.Bench.EdgeLoad;
using OpenClaw.Bench.MemoryFlood;

// Memory after a flood, per GC configuration: starts the real silo once per configuration and
// round, floods one tenant's sockets with large requests whose answers queue, closes them, and
// reads the silo's RSS before, at the peak, once it settles, and after light traffic.
// Usage: dotnet run -c Release --project bench/MemoryFlood -- [options]
FloodOptions options;
try
{
    options = FloodOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    if (ex.Message != "help") Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(FloodOptions.Usage);
    return 2;
}

var configurations = GcConfiguration.Parse(options.Configurations);
var commandLine = "dotnet run -c Release --project bench/MemoryFlood --" + string.Concat(args.Select(a => " " + a));
Console.WriteLine($"# OpenClaw memory flood bench — {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
Console.WriteLine($"# command: {commandLine}");
Console.WriteLine($"# flood: {options.Sockets} sockets of one tenant × {options.FramesPerSocket} requests × {options.FrameKiB} KiB, answers not read; " +
    $"{options.Rounds} rounds × {configurations.Count} configurations; load average (1 min) {LoadHelpers.LoadAverage()}");

using var watchdog = new CancellationTokenSource(TimeSpan.FromHours(3));
var results = new List<FloodResult>();
var failures = 0;
using (var env = await BenchEnvironment.CreateAsync(BenchOptions.Parse(options.EdgeLoadArguments())))
{
    for (var round = 1; round <= options.Rounds; round++)
    {
        foreach (var gc in configurations)
        {
            Console.WriteLine($"\n## round {round}, {gc.Name}: {gc.Description} ({string.Join(' ', gc.Environment.Select(e => $"{e.Key}={e.Value}"))}); load average {LoadHelpers.LoadAverage()}");
            try
            {
                var result = await FloodRun.RunAsync(env, options, gc, round, watchdog.Token);
                results.Add(result);
                Console.WriteLine($"    GC threads: {result.GcThreads}");
                Console.WriteLine($"    RSS baseline {Stats.Bytes(result.Baseline)} → flooded {Stats.Bytes(result.Flooded)} (peak {Stats.Bytes(result.Peak)}) → " +
                    $"sockets closed {result.AfterClose}{(result.Returned is { } r ? $" → returned: {r} since the close" : "")} → " +
                    $"after traffic ({result.TrafficPerSecond:0} health/s) {Stats.Bytes(result.AfterTraffic)}" +
                    (result.SiloSurvived ? "" : "; SILO DID NOT SURVIVE"));
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !watchdog.IsCancellationRequested)
            {
                failures++;
                Console.WriteLine($"    !! run failed: {ex.GetType().Name}: {ex.Message}");
            }
        }
    }
}

Observations.Global.Print(Console.Out);
Console.WriteLine();
Console.WriteLine("## Summary (Markdown): medians over rounds; \"kept\" is the part of the flood's growth still resident (RSS − baseline) / (peak − baseline)");
Console.WriteLine();
Console.WriteLine("| GC configuration | baseline | peak (VmHWM) | sockets closed, settled | kept | returned (reclaimer on): RSS, s after the close | after light traffic | kept | runs |");
Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
foreach (var gc in configurations)
{
    var runs = results.Where(r => r.Configuration == gc.Name).ToList();
    if (runs.Count == 0) continue;
    double Median(Func<FloodResult, double> f) => Stats.Median(runs.Select(f));
    string Kept(Func<FloodResult, long> after) => (Median(r => (double)(after(r) - r.Baseline) / Math.Max(1, r.Peak - r.Baseline)) * 100).ToString("0") + " %";
    var survived = runs.Count(r => r.SiloSurvived);
    Console.WriteLine($"| {gc.Name} | {Stats.Bytes(Median(r => r.Baseline))} | {Stats.Bytes(Median(r => r.Peak))} " +
        $"| {Stats.Bytes(Median(r => r.AfterClose.Bytes))} ({Stats.Range(runs.Select(r => (double)r.AfterClose.Bytes), Stats.Bytes)}) | {Kept(r => r.AfterClose.Bytes)} " +
        $"| {Returned(runs)} " +
        $"| {Stats.Bytes(Median(r => r.AfterTraffic))} ({Stats.Range(runs.Select(r => (double)r.AfterTraffic), Stats.Bytes)}) | {Kept(r => r.AfterTraffic)} " +
        $"| {runs.Count}{(survived < runs.Count ? $", silo died in {runs.Count - survived}" : "")}" +
        $"{(runs.Sum(r => r.SocketsFailed) is var failedSockets and > 0 ? $", {failedSockets} flood sockets failed" : "")} |");
}
Console.WriteLine();
Console.WriteLine($"# finished; load average (1 min) {LoadHelpers.LoadAverage()}; command: {commandLine}");
return failures == 0 ? 0 : 1;

static string Returned(List<FloodResult> runs)
{
    var returned = runs.Where(r => r.Returned is not null).Select(r => r.Returned!.Value).ToList();
    if (returned.Count == 0) return "—";
    var notReturned = returned.Count(r => !r.Settled);
    return $"{Stats.Bytes(Stats.Median(returned.Select(r => (double)r.Bytes)))}, {Stats.Median(returned.Select(r => r.After.TotalSeconds)):0} s " +
        $"({Stats.Range(returned.Select(r => r.After.TotalSeconds), s => s.ToString("0", System.Globalization.CultureInfo.InvariantCulture) + " s")})" +
        (notReturned > 0 ? $"; not returned in {notReturned} of {returned.Count}" : "");
}
