using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenClaw.EdgeGateway.Tests.Fakes;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Runtime;

namespace OpenClaw.EdgeGateway.Tests.Infrastructure;

/// <summary>
/// A real Kestrel server on 127.0.0.1 (random port) hosting only the edge, with an in-memory
/// tenant store and a fake grain factory. Options come from an in-memory <c>edge</c>
/// configuration section, as the host will bind them.
/// </summary>
internal sealed class EdgeTestServer : IAsyncDisposable
{
    public const string TokenA = "token-tenant-a";
    public const string TokenB = "token-tenant-b";
    public const string TenantA = "tenant-a";
    public const string TenantB = "tenant-b";

    private readonly WebApplication _app;

    private EdgeTestServer(WebApplication app, Uri uri, InMemoryTenantStore tenants, FakeGrainFactory grains, ShiftableTimeProvider time, CapturingLoggerProvider logs)
    {
        _app = app;
        Uri = uri;
        Tenants = tenants;
        Grains = grains;
        Time = time;
        Logs = logs;
    }

    public Uri Uri { get; }
    public InMemoryTenantStore Tenants { get; }
    public FakeGrainFactory Grains { get; }
    public ShiftableTimeProvider Time { get; }
    public CapturingLoggerProvider Logs { get; }
    public IServiceProvider Services => _app.Services;

    public static async Task<EdgeTestServer> StartAsync(IDictionary<string, string?>? edgeSettings = null, Action<IServiceCollection>? services = null)
    {
        var tenants = new InMemoryTenantStore().Add(TenantA, TokenA).Add(TenantB, TokenB);
        var grains = new FakeGrainFactory();
        var time = new ShiftableTimeProvider();
        var logs = new CapturingLoggerProvider();

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddProvider(logs);
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            // Test sockets never answer pings between reads; keepalive is not what these tests cover.
            ["edge:KeepAliveIntervalMs"] = "0",
            ["edge:KeepAliveTimeoutMs"] = "0",
            ["edge:CloseTimeoutMs"] = "2000",
        };
        foreach (var (key, value) in edgeSettings ?? new Dictionary<string, string?>()) settings[$"edge:{key}"] = value;
        builder.Configuration.AddInMemoryCollection(settings);

        builder.Services.AddSingleton<ITenantTokenResolver>(tenants);
        builder.Services.AddSingleton<IGrainFactory>(grains);
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddEdgeGateway(builder.Configuration.GetSection(EdgeGatewayOptions.SectionName));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        services?.Invoke(builder.Services);

        var app = builder.Build();
        app.MapEdgeGateway();
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var uri = new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal) + "/");
        return new EdgeTestServer(app, uri, tenants, grains, time, logs);
    }

    /// <summary>Opens a socket; <paramref name="forwardedFor"/> is sent as <c>X-Forwarded-For</c>.</summary>
    public async Task<GatewayTestClient> OpenAsync(string? forwardedFor = null)
    {
        var client = new GatewayTestClient();
        await client.ConnectAsync(Uri, forwardedFor);
        return client;
    }

    /// <summary>Opens a socket, reads the challenge, sends a device-less connect and returns the client and the hello-ok response.</summary>
    public async Task<(GatewayTestClient Client, System.Text.Json.JsonElement Response)> ConnectAsync(
        string token = TokenA, IReadOnlyList<string>? scopes = null, string? forwardedFor = null)
    {
        var client = await OpenAsync(forwardedFor);
        await client.ReadChallengeAsync();
        var response = await client.SendConnectAsync(ConnectRequests.Params(token, scopes));
        return (client, response);
    }

    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _app.StopAsync();
        }
        catch (ObjectDisposedException)
        {
        }
        await _app.DisposeAsync();
    }
}
