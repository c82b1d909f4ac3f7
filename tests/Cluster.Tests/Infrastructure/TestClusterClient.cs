using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenClaw.Runtime;
using OpenClaw.Runtime.Client;
using OpenClaw.Runtime.Postgres;

namespace OpenClaw.Cluster.Tests.Infrastructure;

/// <summary>
/// A cluster client hosted in the test process (as the edge hosts one): reads the membership table,
/// connects to the serving silos, and sends calls for grains it has not located yet to its gateway
/// silo (<paramref name="preferredGateway"/> when given and serving).
/// </summary>
internal sealed class TestClusterClient : IAsyncDisposable
{
    private readonly IHost _host;

    private TestClusterClient(IHost host)
    {
        _host = host;
        Client = host.Services.GetRequiredService<ClusterClient>();
    }

    public ClusterClient Client { get; }

    public IGrainFactory Grains => Client.GrainFactory;

    public static async Task<TestClusterClient> StartAsync(string clusterId, string connectionString, string? preferredGateway)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddClusterClient();
        builder.Services.Configure<ClusterOptions>(o => o.ClusterId = clusterId);
        builder.Services.Configure<ClusterClientOptions>(o => o.PreferredGateway = preferredGateway);
        builder.Services.AddPostgresMembership(o => o.ConnectionString = connectionString);
        var host = builder.Build();
        var client = new TestClusterClient(host);
        try
        {
            await host.StartAsync();
            await client.Client.Ready.WaitAsync(ClusterTestTimeouts.ClientReady);
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            _host.Dispose();
        }
    }
}
