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
/// a random port: the real tenant registry (SQLite), cluster stats reader, monitor and config sync
/// (standalone: no Cloud Backend). The monitor's memory threshold is 1 MB, so one evaluation raises
/// a real alert.
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
            ["monitor:rules:memory:thresholdMb"] = "1",
            ["monitor:rules:memory:raiseAfter"] = "1",
        });
        builder.Services.AddOpenClawSilo(builder.Configuration);

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
        Services.GetRequiredService<ITenantRegistry>().UpsertAsync(
            new TenantRecord { TenantId = tenantId, DisplayName = displayName, CreatedAt = DateTimeOffset.UtcNow }, CancellationToken.None);

    /// <summary>Has the real monitor evaluate its rules now (the memory rule's threshold is 1 MB here).</summary>
    public Task<IReadOnlyList<AlertRecord>> EvaluateAlertsAsync() =>
        Grains.GetGrain<IMonitorGrain>(IMonitorGrain.ClusterKey).EvaluateNow();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _data.Dispose();
    }
}
