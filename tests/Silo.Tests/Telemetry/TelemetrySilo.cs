using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenClaw.EdgeGateway;
using OpenClaw.EdgeGateway.Tests.Infrastructure;
using OpenClaw.Silo.Telemetry;
using OpenTelemetry.Trace;

namespace OpenClaw.Silo.Tests.Telemetry;

/// <summary>
/// The silo as Program.cs composes it (edge, /health, /metrics, probes) in process on a random
/// loopback port, with its own data directory; optionally recording spans in memory.
/// </summary>
internal sealed class TelemetrySilo : IAsyncDisposable
{
    public const string TenantToken = "telemetry-tenant-token-0123456789";

    private readonly WebApplication _app;
    private readonly TempDirectory _data;

    private TelemetrySilo(WebApplication app, TempDirectory data, Uri httpUri)
    {
        _app = app;
        _data = data;
        HttpUri = httpUri;
        WebSocketUri = new Uri(httpUri.ToString().Replace("http://", "ws://", StringComparison.Ordinal));
    }

    public Uri HttpUri { get; }
    public Uri WebSocketUri { get; }
    public IServiceProvider Services => _app.Services;
    public WebApplication App => _app;

    /// <summary>Builds (not starts) the silo; tenant <c>t0</c> has <see cref="TenantToken"/>, tenants t1…t<paramref name="extraTenants"/> have tokens <c>token-tN-…</c>.</summary>
    public static WebApplication Build(TempDirectory data, IDictionary<string, string?>? settings = null, int extraTenants = 0, List<Activity>? spans = null,
        Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var configuration = new Dictionary<string, string?>
        {
            ["storage:dataDirectory"] = data.Path,
            ["demo:enabled"] = "false",
            ["edge:KeepAliveIntervalMs"] = "0",
            ["edge:KeepAliveTimeoutMs"] = "0",
            ["multiTenant:maxCachedUsers"] = "5000",
            ["egress:allowedNetworks:0"] = "127.0.0.1/32",
            ["tenants:0:id"] = "t0",
            ["tenants:0:token"] = TenantToken,
        };
        for (var i = 1; i <= extraTenants; i++)
        {
            configuration[$"tenants:{i}:id"] = $"t{i}";
            configuration[$"tenants:{i}:token"] = TokenOf(i);
        }
        builder.Configuration.AddInMemoryCollection(configuration);
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddOpenClawSilo(builder.Configuration);
        services?.Invoke(builder.Services);
        if (spans is not null) builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans));
        var app = builder.Build();
        app.MapHealth();
        app.MapSiloTelemetry();
        app.MapEdgeGateway();
        return app;
    }

    public static string TokenOf(int tenant) => tenant == 0 ? TenantToken : $"token-t{tenant}-abcdefghijklmnop";

    public static async Task<TelemetrySilo> StartAsync(IDictionary<string, string?>? settings = null, int extraTenants = 0, List<Activity>? spans = null)
    {
        var data = new TempDirectory();
        var app = Build(data, settings, extraTenants, spans);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TelemetrySilo(app, data, new Uri(address + "/"));
    }

    public HttpClient Http() => new() { BaseAddress = HttpUri, Timeout = TimeSpan.FromSeconds(30) };

    public async Task<PrometheusText> ScrapeAsync()
    {
        using var http = Http();
        var text = await http.GetStringAsync("metrics");
        return PrometheusText.Parse(text);
    }

    public async Task<GatewayTestClient> ConnectAsync(string token)
    {
        var client = new GatewayTestClient();
        await client.ConnectAsync(WebSocketUri);
        await client.ReadChallengeAsync();
        var hello = await client.SendConnectAsync(ConnectRequests.Params(token, ["operator.admin", "operator.read", "operator.write"]));
        Assert.True(hello.GetProperty("ok").GetBoolean(), hello.ToString());
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _data.Dispose();
    }
}
