using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenClaw.Bench.Sync;
using OpenClaw.Grains;
using OpenClaw.Grains.ControlPlane.ConfigSync;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Grains.Tests.ControlPlane;
using OpenClaw.Runtime.TestingHost;

// A config sync pass applying N changed tenants (default 10,000): the real ConfigSyncGrain in a test
// silo, the backend over real HTTP on loopback with pages prepared beforehand. Round 1 creates every
// tenant (a full pass); later rounds change every tenant's model (incremental passes).
// Usage: openclaw-syncbench [--tenants 10000] [--rounds 5] [--page-size 500] [--store memory]
var tenants = Arg("--tenants", 10_000);
var rounds = Arg("--rounds", 5);
var pageSize = Arg("--page-size", 500);
var store = ArgText("--store", "memory");
if (store != "memory")
{
    Console.Error.WriteLine($"--store {store}: only 'memory' is wired in this build (the SQLite and PostgreSQL registries come with the registry branch).");
    return 2;
}

var registry = new InMemoryTenantRegistry(TimeProvider.System);
await using var backend = await PageServer.StartAsync();
await using var silo = await TestSilo.StartAsync(typeof(UserGrain).Assembly, configureServices: services =>
{
    services.AddSingleton<ITenantRegistry>(registry);
    services.AddConfigSync(configure: o =>
    {
        o.CloudBackendUrl = backend.Url;
        o.ServiceToken = PageServer.Token;
        o.PageSize = pageSize;
        o.MaxPagesPerPass = tenants / pageSize + 2;
        o.RequestTimeoutMs = 60_000;
    });
    services.Remove(services.Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Name == "ConfigSyncKeeper"));
});
var sync = silo.GrainFactory.GetGrain<IConfigSyncGrain>(IConfigSyncGrain.ClusterKey);

Console.WriteLine($"config sync pass: {tenants:N0} changed tenants, pages of {pageSize}, store {store}, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
var cursor = "";
var times = new List<double>();
var allocations = new List<long>();
for (var round = 1; round <= rounds; round++)
{
    cursor = backend.Prepare(tenants, pageSize, $"model-{round}", cursor, round);
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
    var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
    var started = Stopwatch.GetTimestamp();
    var status = await sync.SyncNow();
    var elapsed = Stopwatch.GetElapsedTime(started);
    var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
    if (status.ConsecutiveFailures != 0) throw new InvalidOperationException("pass failed: " + status.LastError);
    var applied = status.LastCreated + status.LastUpdated;
    if (applied != tenants) throw new InvalidOperationException($"pass applied {applied}, expected {tenants}");
    Console.WriteLine($"round {round} ({(round == 1 ? "creates" : "updates")}): {elapsed.TotalMilliseconds:N0} ms, {tenants / elapsed.TotalSeconds:N0} tenants/s, allocated {allocated / 1024.0 / 1024.0:N1} MiB ({allocated / tenants:N0} B/tenant)");
    if (round > 1)
    {
        times.Add(elapsed.TotalMilliseconds);
        allocations.Add(allocated);
    }
}

using var process = Process.GetCurrentProcess();
process.Refresh();
if (times.Count > 0)
{
    Console.WriteLine($"median of rounds 2..{rounds} (updates): {Median(times):N0} ms per pass, allocated {Median(allocations.Select(a => (double)a).ToList()) / 1024 / 1024:N1} MiB per pass");
}

Console.WriteLine($"peak working set of the process: {process.PeakWorkingSet64 / 1024.0 / 1024.0:N0} MiB; registry holds {registry.TenantCount:N0} tenants");
return 0;

int Arg(string name, int fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
string ArgText(string name, string fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
static double Median(List<double> values)
{
    var sorted = values.OrderBy(v => v).ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}
