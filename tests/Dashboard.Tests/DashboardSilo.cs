using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenClaw.EdgeGateway;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Operations;
using OpenClaw.Runtime;
using OpenClaw.Silo;

namespace OpenClaw.Dashboard.Tests;

/// <summary>
/// A real silo (the composition Program.cs builds, with the operators' endpoints) on 127.0.0.1 with
/// a random port, plus the test's stand-ins for the sources other helpers build (stats, monitor).
/// Config sync is left out on purpose: the dashboard must say it is not available.
/// </summary>
internal sealed class DashboardSilo : IAsyncDisposable
{
    public const string ServiceToken = "dashboard-test-service-token-0123456789";

    private readonly WebApplication _app;
    private readonly TempDirectory _data;

    private DashboardSilo(WebApplication app, TempDirectory data, Uri httpUri)
    {
        _app = app;
        _data = data;
        HttpUri = httpUri;
    }

    public Uri HttpUri { get; }

    public IServiceProvider Services => _app.Services;

    public TestAlertBoard Alerts => Services.GetRequiredService<TestAlertBoard>();

    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    public static async Task<DashboardSilo> StartAsync()
    {
        var data = new TempDirectory();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["storage:dataDirectory"] = data.Path,
            ["edge:KeepAliveIntervalMs"] = "0",
            ["edge:KeepAliveTimeoutMs"] = "0",
            ["multiTenant:serviceToken"] = ServiceToken,
            ["dashboard:sampleIntervalMs"] = "500",
        });
        builder.Services.AddOpenClawSilo(builder.Configuration);
        builder.Services.AddSingleton<IClusterStatsReader, LocalClusterStatsReader>();
        builder.Services.AddSingleton<TestAlertBoard>();
        new GrainRuntimeBuilder(builder.Services).AddGrains(typeof(TestMonitorGrain).Assembly);

        var app = builder.Build();
        var problem = await StartupChecks.RunAsync(app.Services, CancellationToken.None);
        Assert.Null(problem);
        app.MapHealth();
        app.MapOperatorEndpoints();
        app.MapEdgeGateway();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new DashboardSilo(app, data, new Uri(address));
    }

    public Task AddTenantAsync(string tenantId, string displayName) =>
        Services.GetRequiredService<ITenantStore>().UpsertAsync(
            new TenantRecord { TenantId = tenantId, DisplayName = displayName, CreatedAt = DateTimeOffset.UtcNow }, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _data.Dispose();
    }
}
