using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OpenClaw.Silo.Tests;

/// <summary>
/// The silo's composition as Program.cs builds it (startup checks, /health, the edge) on 127.0.0.1
/// with a random port and the given data directory; optionally with the test's clock.
/// </summary>
internal sealed class InProcessSilo : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InProcessSilo(WebApplication app, Uri httpUri)
    {
        _app = app;
        HttpUri = httpUri;
    }

    public Uri HttpUri { get; }

    public IServiceProvider Services => _app.Services;

    public static WebApplication Build(string dataDirectory, TimeProvider? time = null, IDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["storage:dataDirectory"] = dataDirectory,
            ["edge:KeepAliveIntervalMs"] = "0",
            ["edge:KeepAliveTimeoutMs"] = "0",
        });
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        if (time is not null) builder.Services.AddSingleton(time);
        builder.Services.AddOpenClawSilo(builder.Configuration);
        return builder.Build();
    }

    public static async Task<InProcessSilo> StartAsync(string dataDirectory, TimeProvider? time = null, IDictionary<string, string?>? settings = null)
    {
        var app = Build(dataDirectory, time, settings);
        var problem = await StartupChecks.RunAsync(app.Services, CancellationToken.None);
        Assert.Null(problem);
        app.MapHealth();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new InProcessSilo(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
