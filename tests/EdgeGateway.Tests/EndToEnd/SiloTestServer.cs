using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenClaw.EdgeGateway.Tests.Infrastructure;
using OpenClaw.Runtime;
using OpenClaw.Silo;

namespace OpenClaw.EdgeGateway.Tests.EndToEnd;

/// <summary>
/// The real silo composition (runtime, UserGrain, embedded storage, edge) on 127.0.0.1 with a
/// random port and a data directory of its own; two tenants, alice and bob, on the echo provider.
/// Restarting on the same data directory shows what survives.
/// </summary>
internal sealed class SiloTestServer : IAsyncDisposable
{
    public const string AliceToken = "alice-token";
    public const string BobToken = "bob-token";
    public const string CarolToken = "carol-token";

    private readonly WebApplication _app;

    private SiloTestServer(WebApplication app, Uri uri, string dataDirectory)
    {
        _app = app;
        Uri = uri;
        DataDirectory = dataDirectory;
    }

    public Uri Uri { get; }
    public string DataDirectory { get; }
    public ISiloRuntime Runtime => _app.Services.GetRequiredService<ISiloRuntime>();

    /// <summary>Starts the silo; <paramref name="settings"/> are added over the defaults (null removes a key).</summary>
    public static async Task<SiloTestServer> StartAsync(string? dataDirectory = null, string environment = "Testing",
        IDictionary<string, string?>? settings = null)
    {
        dataDirectory ??= Path.Combine(Path.GetTempPath(), "openclaw-e2e-" + Guid.NewGuid().ToString("N"));
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["storage:dataDirectory"] = dataDirectory,
            ["demo:enabled"] = "false",
            ["tenants:0:id"] = "alice",
            ["tenants:0:token"] = AliceToken,
            ["tenants:1:id"] = "bob",
            ["tenants:1:token"] = BobToken,
            // Carol's provider points at a closed port: every run of hers fails.
            ["tenants:2:id"] = "carol",
            ["tenants:2:token"] = CarolToken,
            ["tenants:2:provider"] = "openai",
            ["tenants:2:model"] = "gpt-test",
            ["tenants:2:apiKey"] = "sk-carol-secret-key",
            ["tenants:2:baseUrl"] = "http://127.0.0.1:9/v1",
            // Test servers standing in for providers and attackers listen on loopback.
            ["egress:allowedNetworks:0"] = "127.0.0.1/32",
            ["edge:KeepAliveIntervalMs"] = "0",
            ["edge:KeepAliveTimeoutMs"] = "0",
        });
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddOpenClawSilo(builder.Configuration);
        var app = builder.Build();
        app.MapEdgeGateway();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SiloTestServer(app, new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal) + "/"), dataDirectory);
    }

    public async Task<GatewayTestClient> ConnectAsync(string token)
    {
        var client = new GatewayTestClient();
        await client.ConnectAsync(Uri);
        await client.ReadChallengeAsync();
        var hello = await client.SendConnectAsync(ConnectRequests.Params(token, ["operator.admin", "operator.read", "operator.write"]));
        Assert.True(hello.GetProperty("ok").GetBoolean(), hello.ToString());
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
