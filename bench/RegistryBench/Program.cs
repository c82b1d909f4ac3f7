using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Grains.Secrets;
using OpenClaw.Grains.Tenants;

// Tenant registry benchmark: token lookup cost at 10 and at N tenants, bulk insert, and the time
// from starting a silo process on a registry of N tenants to its first /health 200.
// Usage: openclaw-registrybench <sqlite|postgres> [--tenants 100000] [--lookups 2000] [--silo path/to/openclaw-silo.dll]
// postgres reads OPENCLAW_POSTGRES (scripts/with-postgres.sh sets it).
var store = args.Length > 0 ? args[0] : "sqlite";
var tenants = IntArg("--tenants", 100_000);
var lookups = IntArg("--lookups", 2000);
var silo = StringArg("--silo") ?? Path.GetFullPath(Path.Join(AppContext.BaseDirectory, "../../../../../src/Silo/bin/Debug/net10.0/openclaw-silo.dll"));
var data = Path.Join(Path.GetTempPath(), "openclaw-registrybench-" + Guid.NewGuid().ToString("N")[..8]);
var postgres = Environment.GetEnvironmentVariable("OPENCLAW_POSTGRES");
if (store == "postgres" && string.IsNullOrEmpty(postgres)) { Console.Error.WriteLine("postgres needs OPENCLAW_POSTGRES (run under scripts/with-postgres.sh)"); return 2; }

using var services = new ServiceCollection().AddLogging().AddFileTenantSecretProtection(Path.Join(data, "keys")).BuildServiceProvider();
var secrets = services.GetRequiredService<ITenantSecretProtector>();
ITenantRegistry registry = store == "postgres"
    ? new PostgresTenantRegistry(Options.Create(new PostgresTenantRegistryOptions { ConnectionString = postgres! }), secrets)
    : new SqliteTenantRegistry(Options.Create(new SqliteTenantRegistryOptions { Directory = Path.Join(data, "tenants") }), secrets);

Console.WriteLine($"store={store} tenants={tenants} lookups={lookups} cores={Environment.ProcessorCount}");
await registry.UpsertManyAsync(Enumerable.Range(0, 10).Select(Tenant).ToList(), default);
var token = (await registry.IssueTokenAsync("bench-0000005", new TenantTokenRequest(), default)).Plaintext;
Console.WriteLine($"lookup at 10 tenants: median {await MedianLookupMicros():F1} µs");

var insert = Stopwatch.StartNew();
for (var start = 10; start < tenants; start += 10_000)
    await registry.UpsertManyAsync(Enumerable.Range(start, Math.Min(10_000, tenants - start)).Select(Tenant).ToList(), default);
Console.WriteLine($"bulk insert of {tenants - 10} tenants (UpsertManyAsync, 10,000 per call): {insert.Elapsed.TotalSeconds:F2} s");
Console.WriteLine($"lookup at {await registry.CountAsync(null, default)} tenants: median {await MedianLookupMicros():F1} µs");
var get = new List<double>();
for (var i = 0; i < lookups; i++)
{
    var watch = Stopwatch.StartNew();
    await registry.GetAsync($"bench-{Random.Shared.Next(tenants):0000000}", default);
    get.Add(watch.Elapsed.TotalMicroseconds);
}
Console.WriteLine($"get one tenant at {tenants} tenants: median {Median(get):F1} µs");
(registry as IDisposable)?.Dispose();

if (File.Exists(silo))
{
    var times = new List<double>();
    for (var run = 0; run < 3; run++) times.Add(await SiloStartupSecondsAsync());
    Console.WriteLine($"silo process start to /health 200 with {tenants} tenants: median {Median(times):F2} s (runs: {string.Join(", ", times.Select(t => t.ToString("F2")))})");
}
else Console.WriteLine($"silo startup skipped: {silo} not found (build src/Silo)");

try { Directory.Delete(data, recursive: true); } catch (IOException) { }
return 0;

async Task<double> MedianLookupMicros()
{
    for (var i = 0; i < 50; i++) await registry.FindTenantByTokenAsync(token, default);
    var samples = new List<double>(lookups);
    for (var i = 0; i < lookups; i++)
    {
        var watch = Stopwatch.StartNew();
        if (await registry.FindTenantByTokenAsync(token, default) is null) throw new InvalidOperationException("token did not resolve");
        samples.Add(watch.Elapsed.TotalMicroseconds);
    }
    return Median(samples);
}

async Task<double> SiloStartupSecondsAsync()
{
    var port = FreePort();
    var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
    start.ArgumentList.Add(silo);
    foreach (var arg in new[] { "--port", port.ToString(), "--data-dir", data }) start.ArgumentList.Add(arg);
    start.Environment["DOTNET_ENVIRONMENT"] = "Development";
    if (store == "postgres")
    {
        start.Environment["storage__provider"] = "postgres";
        start.Environment["storage__postgresConnectionString"] = postgres;
    }
    var watch = Stopwatch.StartNew();
    using var process = Process.Start(start)!;
    _ = process.StandardOutput.ReadToEndAsync();
    _ = process.StandardError.ReadToEndAsync();
    using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
    try
    {
        while (watch.Elapsed < TimeSpan.FromMinutes(3))
        {
            if (process.HasExited) throw new InvalidOperationException($"the silo exited with {process.ExitCode}");
            try
            {
                if ((await http.GetAsync($"http://127.0.0.1:{port}/health")).StatusCode == HttpStatusCode.OK) return watch.Elapsed.TotalSeconds;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(20);
        }
        throw new TimeoutException("the silo did not answer /health");
    }
    finally
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

static double Median(List<double> samples)
{
    samples.Sort();
    return samples[samples.Count / 2];
}

static TenantRecord Tenant(int i) => new()
{
    TenantId = $"bench-{i:0000000}",
    Plan = i % 10 == 0 ? "pro" : "free",
    Config = new TenantConfig { Provider = "echo", Model = "echo-1" },
};

int IntArg(string name, int fallback) => StringArg(name) is { } value ? int.Parse(value) : fallback;

string? StringArg(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}
