using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenClaw.Bench.Reminders;
using OpenClaw.Runtime;
using OpenClaw.Runtime.Sqlite;

// Reminder service benchmark on the embedded SQLite table, in one process:
//   1. register N reminders (none due during the run) through IReminderRegistry,
//   2. restart the silo on the same file: startup load time, managed heap and working set,
//   3. CPU time while idle with N reminders scheduled (and with none, for comparison),
//   4. due-time accuracy: 1,000 reminders due at spread times, lateness median / p99.
// Usage: openclaw-reminderbench [--reminders 100000] [--idle-seconds 30] [--accuracy 1000] [--parallel 8]
var reminders = IntArg("--reminders", 100_000);
var idleSeconds = IntArg("--idle-seconds", 30);
var accuracyCount = IntArg("--accuracy", 1000);
var parallel = IntArg("--parallel", 8);
var data = Path.Join(Path.GetTempPath(), "openclaw-reminderbench-" + Guid.NewGuid().ToString("N")[..8]);
Console.WriteLine($"reminders={reminders} idle={idleSeconds}s accuracy={accuracyCount} parallel={parallel} cores={Environment.ProcessorCount} data={data}");

try
{
    // Baseline: the same silo with an empty table.
    var empty = await StartSiloAsync(Path.Join(data, "empty"));
    var emptyHeap = Heap();
    var emptyIdle = await IdleCpuAsync();
    await StopAsync(empty);
    Console.WriteLine($"empty silo: managed heap {emptyHeap / 1048576.0:F1} MiB, idle CPU {emptyIdle.TotalMilliseconds:F0} ms over {idleSeconds} s");

    var full = Path.Join(data, "full");
    var silo = await StartSiloAsync(full);
    var registry = silo.Services.GetRequiredService<IReminderRegistry>();
    var grainType = GrainTypeOf(silo);
    var register = Stopwatch.StartNew();
    var next = -1;
    await Task.WhenAll(Enumerable.Range(0, parallel).Select(_ => Task.Run(async () =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < reminders)
        {
            // Due in 1-2 days, daily: nothing comes due during the run.
            var due = TimeSpan.FromDays(1) + TimeSpan.FromSeconds(i % 86_400);
            await registry.RegisterOrUpdateAsync(new GrainId(grainType, $"bench-{i:D7}"), "daily", due, TimeSpan.FromDays(1));
        }
    })));
    register.Stop();
    Console.WriteLine($"register {reminders}: {register.Elapsed.TotalSeconds:F2} s ({reminders / register.Elapsed.TotalSeconds:F0}/s, {parallel} in parallel)");
    await StopAsync(silo);

    var startup = Stopwatch.StartNew();
    silo = await StartSiloAsync(full);
    startup.Stop();
    var service = silo.Services.GetRequiredService<ReminderService>();
    registry = silo.Services.GetRequiredService<IReminderRegistry>();
    if (service.Count != reminders) throw new InvalidOperationException($"loaded {service.Count}, expected {reminders}");
    var refresh = Stopwatch.StartNew();
    await service.RefreshAsync(CancellationToken.None);
    refresh.Stop();
    var heap = Heap();
    using (var process = Process.GetCurrentProcess())
        Console.WriteLine($"silo start with {reminders} reminders (host StartAsync, includes loading them): {startup.Elapsed.TotalMilliseconds:F0} ms; one full refresh: {refresh.Elapsed.TotalMilliseconds:F0} ms");
    Console.WriteLine($"managed heap with {reminders} scheduled: {heap / 1048576.0:F1} MiB ({(heap - emptyHeap) / (double)reminders:F0} bytes per reminder over the empty silo); working set {Process.GetCurrentProcess().WorkingSet64 / 1048576.0:F0} MiB");
    // Twice: the first window also pays for the JIT's background recompilation of what the load made hot.
    for (var window = 1; window <= 2; window++)
    {
        var idle = await IdleCpuAsync();
        Console.WriteLine($"idle CPU with {reminders} scheduled, nothing due, window {window}: {idle.TotalMilliseconds:F0} ms over {idleSeconds} s ({idle.TotalMilliseconds / idleSeconds / 10:F3} % of one core)");
    }

    // Accuracy: reminders due 2-12 s from now, spread evenly.
    BenchReminderGrain.LatenessMs.Clear();
    var spread = TimeSpan.FromSeconds(10);
    for (var i = 0; i < accuracyCount; i++)
        await registry.RegisterOrUpdateAsync(new GrainId(grainType, $"accuracy-{i:D5}"), "once", TimeSpan.FromSeconds(2) + spread * i / accuracyCount, TimeSpan.FromDays(1));
    var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
    while (BenchReminderGrain.LatenessMs.Count < accuracyCount && DateTime.UtcNow < deadline) await Task.Delay(100);
    var lateness = BenchReminderGrain.LatenessMs.ToArray().Order().ToArray();
    Console.WriteLine($"due-time accuracy, {lateness.Length}/{accuracyCount} fired over {spread.TotalSeconds:F0} s: lateness median {Percentile(lateness, 0.5):F1} ms, p99 {Percentile(lateness, 0.99):F1} ms, max {lateness.LastOrDefault():F1} ms");
    await StopAsync(silo);
    return 0;
}
finally
{
    try { Directory.Delete(data, recursive: true); } catch (IOException) { }
}

async Task<IHost> StartSiloAsync(string directory)
{
    var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
    builder.Logging.SetMinimumLevel(Environment.GetEnvironmentVariable("BENCH_DEBUG") == "1" ? LogLevel.Debug : LogLevel.Warning).AddSimpleConsole();
    builder.Services.AddGrainRuntime().AddGrains(typeof(BenchReminderGrain).Assembly)
        .AddReminders().AddSqliteReminderTable(o => o.Directory = directory)
        .ConfigureReminders(o => o.MaxRemindersPerGrain = 64);
    var host = builder.Build();
    await host.StartAsync();
    return host;
}

async Task StopAsync(IHost host)
{
    await host.StopAsync();
    host.Dispose();
}

async Task<TimeSpan> IdleCpuAsync()
{
    Heap();
    using var process = Process.GetCurrentProcess();
    var before = process.TotalProcessorTime;
    await Task.Delay(TimeSpan.FromSeconds(idleSeconds));
    process.Refresh();
    return process.TotalProcessorTime - before;
}

static long Heap()
{
    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    GC.WaitForPendingFinalizers();
    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    return GC.GetTotalMemory(forceFullCollection: true);
}

static string GrainTypeOf(IHost host) =>
    ((GrainReference)(object)host.Services.GetRequiredService<IGrainFactory>().GetGrain<IBenchReminderGrain>("x")).GrainId.Type;

static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

int IntArg(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
}
