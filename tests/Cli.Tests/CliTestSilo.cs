using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenClaw.EdgeGateway;
using OpenClaw.Operations;
using OpenClaw.Silo;

namespace OpenClaw.Cli.Tests;

/// <summary>
/// The single-process silo as Program.cs composes it (admin API, edge) on a random loopback port,
/// with a service token and two tenants, for the CLI to drive over real HTTP.
/// </summary>
internal sealed class CliTestSilo : IAsyncDisposable
{
    public const string ServiceToken = "cli-test-service-token-0123456789abcdef";
    public const string AliceToken = "alice-cli-test-token-0123456789abcdef0123";
    public const string BobToken = "bob-cli-test-token-0123456789abcdef012345";

    private readonly WebApplication _app;
    private readonly string _data;

    private CliTestSilo(WebApplication app, Uri http, string data)
    {
        _app = app;
        Http = http;
        _data = data;
    }

    public Uri Http { get; }

    public Uri WebSocket => new(Http.AbsoluteUri.Replace("http://", "ws://", StringComparison.Ordinal));

    public IServiceProvider Services => _app.Services;

    public static async Task<CliTestSilo> StartAsync()
    {
        var data = Path.Combine(Path.GetTempPath(), "openclaw-cli-" + Guid.NewGuid().ToString("N"));
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["storage:dataDirectory"] = data,
            ["demo:enabled"] = "false",
            ["multiTenant:serviceToken"] = ServiceToken,
            ["tenants:0:id"] = "alice",
            ["tenants:0:token"] = AliceToken,
            ["tenants:1:id"] = "bob",
            ["tenants:1:token"] = BobToken,
            ["edge:KeepAliveIntervalMs"] = "0",
            ["edge:KeepAliveTimeoutMs"] = "0",
        });
        builder.Services.AddOpenClawSilo(builder.Configuration);
        var app = builder.Build();
        var problem = await StartupChecks.RunAsync(app.Services, CancellationToken.None);
        Assert.Null(problem);
        app.MapOperatorEndpoints();
        app.MapEdgeGateway();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new CliTestSilo(app, new Uri(address + "/"), data);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        try { Directory.Delete(_data, recursive: true); }
        catch (IOException) { }
    }
}
