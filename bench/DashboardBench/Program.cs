using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenClaw.Bench.Dashboard;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Operations;
using OpenClaw.Operations.Dashboard;
using OpenClaw.Runtime;

// Dashboard API response time with many active tenants: a real runtime holding N cheap tenant
// activations (grain type "user"), the real dashboard endpoints over real HTTP on 127.0.0.1.
// Usage: dotnet run -c Release --project bench/DashboardBench -- [--tenants 1000,100000] [--requests 300]
const string Token = "dashboard-bench-token";
var tenantCounts = Arg("--tenants", "1000,100000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
var requests = int.Parse(Arg("--requests", "300"), CultureInfo.InvariantCulture);

Console.WriteLine($"| active tenants | endpoint | median ms | p95 ms | requests |");
Console.WriteLine($"| --- | --- | --- | --- | --- |");
foreach (var tenants in tenantCounts) await RunAsync(tenants);
return 0;

async Task RunAsync(int tenants)
{
    var builder = WebApplication.CreateBuilder();
    builder.WebHost.UseUrls("http://127.0.0.1:0");
    builder.Logging.ClearProviders();
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["multiTenant:serviceToken"] = Token,
        ["dashboard:sampleIntervalMs"] = "60000",
    });
    builder.Services.AddGrainRuntime().AddGrains(typeof(BenchTenantGrain).Assembly).Configure(o =>
    {
        o.MaxActivations = tenants * 2;
        o.CollectionAge = TimeSpan.FromHours(1);
    });
    builder.Services.AddOperatorEndpoints(builder.Configuration);
    builder.Services.AddSingleton<IClusterStatsReader, RuntimeStatsReader>();
    await using var app = builder.Build();
    app.MapOperatorEndpoints();
    await app.StartAsync();
    var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    var grains = app.Services.GetRequiredService<IGrainFactory>();
    var call = new GatewayCall { Method = "health", ConnectionId = "bench" };
    var activating = Stopwatch.StartNew();
    for (var start = 0; start < tenants; start += 1000)
    {
        var batch = Enumerable.Range(start, Math.Min(1000, tenants - start))
            .Select(i => grains.GetGrain<IUserGrain>(TenantId(i)).Invoke(call));
        await Task.WhenAll(batch);
    }

    var runtime = app.Services.GetRequiredService<ISiloRuntime>();
    Console.Error.WriteLine($"{tenants}: {runtime.ActivationCount} activations in {activating.Elapsed.TotalSeconds:F1} s");

    // Two samples, so the overview has rates; the sampler's own read is timed as well.
    var sampler = app.Services.GetRequiredService<DashboardSampler>();
    var sampleTimes = new List<double>();
    for (var i = 0; i < 11; i++)
    {
        var watch = Stopwatch.StartNew();
        await sampler.SampleOnceAsync(CancellationToken.None);
        sampleTimes.Add(watch.Elapsed.TotalMilliseconds);
    }

    Report(tenants, "sampler: one stats read + rates (every 2 s, not per request)", sampleTimes.Skip(1).ToList());

    using var http = new HttpClient { BaseAddress = new Uri(address) };
    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    foreach (var path in new[] { "/dashboard/api/overview", "/dashboard/api/tenants/top", $"/dashboard/api/tenants/{TenantId(tenants / 2)}" })
    {
        for (var i = 0; i < 30; i++) await GetAsync(http, path);
        var times = new List<double>(requests);
        for (var i = 0; i < requests; i++)
        {
            var watch = Stopwatch.StartNew();
            await GetAsync(http, path);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        Report(tenants, "GET " + path, times);
    }

    await app.StopAsync();
}

static async Task GetAsync(HttpClient http, string path)
{
    using var response = await http.GetAsync(path);
    response.EnsureSuccessStatusCode();
    await response.Content.ReadAsByteArrayAsync();
}

static void Report(int tenants, string what, List<double> times)
{
    times.Sort();
    var median = times[times.Count / 2];
    var p95 = times[(int)(times.Count * 0.95)];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {tenants:N0} | {what} | {median:F2} | {p95:F2} | {times.Count} |"));
}

static string TenantId(int i) => "t-" + i.ToString("D6", CultureInfo.InvariantCulture);

string Arg(string name, string fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
}
