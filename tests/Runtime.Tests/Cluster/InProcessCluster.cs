using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenClaw.Runtime.Client;
using OpenClaw.Runtime.TestingHost;

namespace OpenClaw.Runtime.Tests.Cluster;

/// <summary>
/// Several silos in this process, each with its own cluster port on loopback and real sockets
/// between them, sharing an in-memory membership table and grain directory. For the runtime's own
/// tests of routing and membership logic; the real multi-process cluster is tested in Cluster.Tests.
/// </summary>
internal sealed class InProcessCluster : IAsyncDisposable
{
    private readonly List<IHost> _silos = [];

    public InProcessCluster()
    {
        Table = new InMemoryMembershipTable(TimeProvider.System);
        Directory = new InMemoryGrainDirectory(Table);
    }

    public InMemoryMembershipTable Table { get; }

    public InMemoryGrainDirectory Directory { get; }

    public IReadOnlyList<IHost> Silos => _silos;

    /// <summary>Short timings so membership changes happen within a second or two.</summary>
    public static void FastTimings(ClusterOptions o)
    {
        o.SiloPort = 0;
        o.ListenAddress = "127.0.0.1";
        o.AdvertisedHost = "127.0.0.1";
        o.HeartbeatInterval = TimeSpan.FromMilliseconds(100);
        o.LeaseDuration = TimeSpan.FromSeconds(3);
        o.TableRefreshInterval = TimeSpan.FromMilliseconds(100);
        o.ProbeInterval = TimeSpan.FromMilliseconds(100);
        o.ProbeTimeout = TimeSpan.FromMilliseconds(300);
        o.VoteExpiration = TimeSpan.FromSeconds(5);
        o.DrainNoticeDelay = TimeSpan.FromMilliseconds(200);
        o.ReconnectDelayMax = TimeSpan.FromMilliseconds(500);
    }

    public async Task<IHost> StartSiloAsync(Action<ClusterOptions>? configure = null, Action<GrainRuntimeBuilder>? runtime = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole();
        builder.Services.AddGrainRuntime().AddGrains(typeof(InProcessCluster).Assembly).AddCluster();
        builder.Services.Configure<ClusterOptions>(o =>
        {
            FastTimings(o);
            configure?.Invoke(o);
        });
        builder.Services.AddSingleton<IMembershipTable>(Table);
        builder.Services.AddSingleton<IGrainDirectory>(Directory);
        builder.Services.Replace(ServiceDescriptor.Singleton<IFatalShutdown, RecordingFatalShutdown>());
        builder.Services.AddKeyedSingleton<IGrainStorage>(GrainStorageNames.Default, SharedStorage);
        runtime?.Invoke(new GrainRuntimeBuilder(builder.Services));
        var host = builder.Build();
        await host.StartAsync();
        _silos.Add(host);
        return host;
    }

    /// <summary>Grain state shared by every silo (as a database would be).</summary>
    public InMemoryGrainStorage SharedStorage { get; } = new();

    /// <summary>Waits until every silo's own view shows every silo Active.</summary>
    public async Task WaitAllActiveAsync()
    {
        var addresses = _silos.Select(AddressOf).ToList();
        await InProcessClusterTests.WaitUntil(() => _silos.All(s =>
        {
            var view = s.Services.GetRequiredService<ClusterMembershipView>().Current;
            return addresses.All(a => view.StatusOf(a) == SiloStatus.Active);
        }));
    }

    public static SiloAddress AddressOf(IHost silo) => silo.Services.GetRequiredService<LocalSilo>().Address;

    public static IGrainFactory FactoryOf(IHost silo) => silo.Services.GetRequiredService<IGrainFactory>();

    public static ISiloRuntime RuntimeOf(IHost silo) => silo.Services.GetRequiredService<ISiloRuntime>();

    /// <summary>A cluster client (as the edge uses) on this cluster's membership table.</summary>
    public async Task<IHost> StartClientAsync(string? preferredGateway = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole();
        builder.Services.AddClusterClient();
        builder.Services.Configure<ClusterOptions>(FastTimings);
        builder.Services.Configure<OpenClaw.Runtime.Client.ClusterClientOptions>(o => o.PreferredGateway = preferredGateway);
        builder.Services.AddSingleton<IMembershipTable>(Table);
        var host = builder.Build();
        await host.StartAsync();
        await host.Services.GetRequiredService<OpenClaw.Runtime.Client.ClusterClient>().Ready.WaitAsync(TimeSpan.FromSeconds(20));
        _silos.Add(host);
        return host;
    }

    public async Task StopSiloAsync(IHost silo)
    {
        await silo.StopAsync();
        silo.Dispose();
        _silos.Remove(silo);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in _silos.ToList())
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await silo.StopAsync(timeout.Token);
            }
            catch (Exception)
            {
                // best effort in tests
            }
            silo.Dispose();
        }
        _silos.Clear();
    }
}

/// <summary>Records "declared dead" instead of ending the test process.</summary>
internal sealed class RecordingFatalShutdown(MembershipLease lease) : IFatalShutdown
{
    public volatile bool Declared;

    public void DeclaredDead(SiloAddress silo)
    {
        lease.Revoke();
        Declared = true;
    }
}
