using System.Diagnostics;
using OpenClaw.Bench.EdgeLoad;

namespace OpenClaw.Bench.MemoryFlood;

/// <summary>What one silo process did under one GC configuration.</summary>
internal sealed record FloodResult(
    string Configuration,
    long Baseline,
    long Flooded,
    long Peak,
    ResidentMemory.Reading AfterClose,
    ResidentMemory.Reading? Returned,
    long AfterTraffic,
    double TrafficPerSecond,
    int Sockets,
    int SocketsFailed,
    bool SiloSurvived,
    string GcThreads);

/// <summary>
/// One run: a fresh silo with the configuration's GC environment; warm-up and a settled baseline;
/// the flood (sockets of one tenant sending large requests without reading answers) until RSS
/// stops growing; every socket aborted; RSS once it settles (idle); with the silo's memory
/// reclaimer on, how long until most of the flood's growth is returned; then light
/// <c>health</c> traffic, which makes the GC run again, and RSS after it.
/// </summary>
internal static class FloodRun
{
    private const string Scenario = "flood";
    private static readonly TimeSpan FloodDeadline = TimeSpan.FromSeconds(120);

    /// <summary>"Returned" means RSS fell back below baseline + this share of the flood's growth.</summary>
    private const double ReturnedShare = 0.25;

    public static async Task<FloodResult> RunAsync(BenchEnvironment env, FloodOptions options, GcConfiguration gc, int round, CancellationToken ct)
    {
        var demo = new BenchTenant("demo", "bench-demo-" + env.RunTag);
        await using var silo = await SiloProcess.StartAsync(env, $"{gc.Name}-{round}", [], gc.SiloArguments, ct, gc.Environment);
        var uri = silo.WebSocketUri;
        var gcThreads = ResidentMemory.GcThreads(silo.Pid);

        await LoadHelpers.ActivateAsync(uri, Enumerable.Repeat(demo, 20), Scenario, ct);
        var baseline = await ResidentMemory.SettleAsync(silo, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(20), ct);

        var sockets = new List<FloodSocket>();
        long flooded;
        var failed = 0;
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, options.Sockets), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct },
                async (_, token) =>
                {
                    var socket = await FloodSocket.ConnectAsync(uri, demo.Token, token);
                    lock (sockets) sockets.Add(socket);
                });
            var template = FloodSocket.FrameTemplate(options.FrameKiB * 1024);
            var sent = Stopwatch.StartNew();
            await Task.WhenAll(sockets.Select(async s =>
            {
                try
                {
                    await s.SendAsync(template, options.FramesPerSocket, ct);
                }
                catch (Exception ex) when (ex is System.Net.WebSockets.WebSocketException or IOException)
                {
                    Interlocked.Increment(ref failed); // e.g. the silo closed it (out of memory under a heap limit)
                }
            })).WaitAsync(FloodDeadline, ct);
            // The answers are still being produced and queued: wait until RSS stops growing.
            var plateau = await ResidentMemory.SettleAsync(silo, TimeSpan.FromSeconds(3), FloodDeadline, ct, window: 3, tolerance: 0.02);
            flooded = plateau.Bytes;
            Console.WriteLine($"    flood: {sockets.Count} sockets × {options.FramesPerSocket} × {options.FrameKiB} KiB sent in {sent.Elapsed.TotalSeconds:0.0} s" +
                $"{(failed > 0 ? $" ({failed} sockets failed while sending)" : "")}; RSS {plateau}");
        }
        finally
        {
            foreach (var socket in sockets) socket.Dispose();
        }

        var closed = DateTime.UtcNow;
        var peak = silo.PeakResidentBytes();
        var afterClose = await ResidentMemory.SettleAsync(silo, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(options.SettleSeconds), ct);
        ResidentMemory.Reading? returned = gc.Reclaims
            ? await ResidentMemory.FallBelowAsync(silo, baseline.Bytes + (long)((peak - baseline.Bytes) * ReturnedShare), closed,
                TimeSpan.FromSeconds(options.ReclaimDeadlineSeconds), ct)
            : null;
        var (afterTraffic, rate) = await TrafficAsync(silo, demo, options, ct);
        var survived = !silo.HasExited && await HealthyAsync(silo, ct);
        return new FloodResult(gc.Name, baseline.Bytes, flooded, peak, afterClose, returned, afterTraffic, rate, sockets.Count, failed, survived, gcThreads);
    }

    /// <summary>Light, paced <c>health</c> traffic on two connections: an ordinary silo keeps allocating, so its GC keeps running.</summary>
    private static async Task<(long Rss, double PerSecond)> TrafficAsync(SiloProcess silo, BenchTenant demo, FloodOptions options, CancellationToken ct)
    {
        if (options.TrafficSeconds == 0) return (silo.ResidentBytes(), 0);
        var clients = await LoadHelpers.OpenAsync(silo.WebSocketUri, [demo, demo], Scenario, null, ct);
        try
        {
            var interval = TimeSpan.FromSeconds(1.0 / options.TrafficPerSecond);
            var started = Stopwatch.GetTimestamp();
            var end = TimeSpan.FromSeconds(options.TrafficSeconds);
            var answered = 0;
            var pending = new List<Task>();
            for (var i = 0; Stopwatch.GetElapsedTime(started) < end; i++)
            {
                var due = interval * i;
                var wait = due - Stopwatch.GetElapsedTime(started);
                if (wait > TimeSpan.Zero) await Task.Delay(wait, ct);
                pending.Add(clients[i % clients.Count].RequestAsync("health").ContinueWith(t =>
                {
                    if (t.IsCompletedSuccessfully && t.Result.Ok) Interlocked.Increment(ref answered);
                }, TaskScheduler.Default));
            }
            await Task.WhenAll(pending).WaitAsync(TimeSpan.FromSeconds(30), ct);
            return (silo.ResidentBytes(), answered / Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
        finally
        {
            await LoadHelpers.CloseAllAsync(clients);
        }
    }

    private static async Task<bool> HealthyAsync(SiloProcess silo, CancellationToken ct)
    {
        try
        {
            await silo.HealthAsync(ct);
            return true;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }
}
