using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenClaw.Bench.Sync;
using OpenClaw.Grains;
using OpenClaw.Grains.ControlPlane.ConfigSync;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Grains.Secrets;
using OpenClaw.Grains.Tenants;
using OpenClaw.Grains.Tests.ControlPlane;
using OpenClaw.Runtime.TestingHost;

// A config sync pass applying N changed tenants (default 10,000): the real ConfigSyncGrain in a test
// silo, the backend over real HTTP on loopback with pages prepared beforehand. Round 1 creates every
// tenant (a full pass); later rounds change every tenant's model (incremental passes).
// Usage: openclaw-syncbench [--tenants 10000] [--rounds 5] [--page-size 500] [--store memory|sqlite|postgres]
// (postgres: the database in OPENCLAW_POSTGRES, e.g. through scripts/with-postgres.sh; it should be empty)
var tenants = Arg("--tenants", 10_000);
var rounds = Arg("--rounds", 5);
var pageSize = Arg("--page-size", 500);
var store = ArgText("--store", "memory");
var postgres = Environment.GetEnvironmentVariable("OPENCLAW_POSTGRES");
if (store is not ("memory" or "sqlite" or "postgres") || (store == "postgres" && string.IsNullOrEmpty(postgres)))
{
    Console.Error.WriteLine($"--store {store}: use memory, sqlite, or postgres with OPENCLAW_POSTGRES set (scripts/with-postgres.sh).");
    return 2;
}

var dataDirectory = Path.Combine(Path.GetTempPath(), $"openclaw-syncbench-{Guid.NewGuid():N}");
await using var backend = await PageServer.StartAsync();
await using var silo = await TestSilo.StartAsync(typeof(UserGrain).Assembly, configureServices: services =>
{
    switch (store)
    {
        case "sqlite":
            services.AddFileTenantSecretProtection(Path.Combine(dataDirectory, "keys"));
            services.AddSqliteTenantRegistry(o => o.Directory = Path.Combine(dataDirectory, "tenants"));
            break;
        case "postgres":
            services.AddPostgresTenantSecretProtection(postgres!);
            services.AddPostgresTenantRegistry(o => o.ConnectionString = postgres!);
            break;
        default:
            services.AddSingleton<ITenantRegistry>(new InMemoryTenantRegistry(TimeProvider.System));
            break;
    }
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

var held = await silo.Services.GetRequiredService<ITenantRegistry>().CountAsync(null, CancellationToken.None);
Console.WriteLine($"peak working set of the process: {process.PeakWorkingSet64 / 1024.0 / 1024.0:N0} MiB; registry holds {held:N0} tenants");
if (Directory.Exists(dataDirectory)) Directory.Delete(dataDirectory, recursive: true);
return 0;

int Arg(string name, int fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
string ArgText(string name, string fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
static double Median(List<double> values)
{
    var sorted = values.OrderBy(v => v).ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}
