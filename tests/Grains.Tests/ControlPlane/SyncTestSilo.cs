using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenClaw.Grains.ControlPlane.ConfigSync;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Grains.Llm;
using OpenClaw.Grains.Tenants;
using OpenClaw.Grains.Tests.UserGrainTests;
using OpenClaw.Grains.Workspace;
using OpenClaw.Runtime;
using OpenClaw.Runtime.TestingHost;

namespace OpenClaw.Grains.Tests.ControlPlane;

/// <summary>
/// A test silo with the real ConfigSyncGrain and UserGrain, the registry test double, a scripted
/// LLM provider (it records the model of each run) and a backend URL. The keeper is left out: the
/// tests drive passes with SyncNow (the silo's clock is manual, so timers only fire when moved).
/// </summary>
internal sealed class SyncTestSilo : IAsyncDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "sync-tests-" + Guid.NewGuid().ToString("N"));

    private SyncTestSilo(InMemoryTenantRegistry registry) => Registry = registry;

    public InMemoryTenantRegistry Registry { get; }
    public ScriptedLlmProvider Llm { get; } = new("scripted");
    public TestSilo Silo { get; private set; } = null!;
    public IConfigSyncGrain Sync => Silo.GrainFactory.GetGrain<IConfigSyncGrain>(IConfigSyncGrain.ClusterKey);

    public static async Task<SyncTestSilo> StartAsync(string? backendUrl, Action<ConfigSyncOptions>? configure = null, InMemoryTenantRegistry? registry = null)
    {
        var host = new SyncTestSilo(registry ?? new InMemoryTenantRegistry(TimeProvider.System));
        Directory.CreateDirectory(Path.Combine(host._root, "template"));
        host.Silo = await TestSilo.StartAsync(typeof(UserGrain).Assembly, configureServices: services =>
        {
            services.AddSingleton<ITenantRegistry>(host.Registry);
            services.AddTenantWorkspaces(o =>
            {
                o.WorkspaceRoot = Path.Combine(host._root, "tenants");
                o.TemplatePath = Path.Combine(host._root, "template");
            });
            services.AddUserGrains();
            services.AddLlmProviders(o => o.EchoChunkDelay = TimeSpan.Zero);
            services.AddSingleton<ILlmProviderRegistry>(sp => new FakeProviderRegistry([host.Llm, .. sp.GetServices<ILlmProvider>()]));
            services.AddConfigSync(configure: o =>
            {
                o.CloudBackendUrl = backendUrl;
                o.ServiceToken = FakeCloudBackend.ServiceToken;
                o.SyncIntervalMs = 60_000;
                o.RequestTimeoutMs = 2_000;
                o.MaxResponseBytes = 256 * 1024;
                o.PageSize = 2;
                configure?.Invoke(o);
            });
            var keeper = services.Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Name == "ConfigSyncKeeper");
            services.Remove(keeper);
        });
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        await Silo.DisposeAsync();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }
}

/// <summary>Collects a tenant's events, as an edge's subscription would receive them.</summary>
internal sealed class CollectingObserver : ITenantEventObserver
{
    private readonly ConcurrentQueue<TenantEvent> _events = new();

    public void OnEvent(TenantEvent tenantEvent) => _events.Enqueue(tenantEvent);

    public bool Has(string name) => _events.Any(e => e.Event == name);

    public async Task WaitForAsync(string name, TimeSpan deadline)
    {
        var end = DateTime.UtcNow + deadline;
        while (!Has(name))
        {
            if (DateTime.UtcNow > end) throw new TimeoutException($"no {name}; got: {string.Join(", ", _events.Select(e => e.Event))}");
            await Task.Delay(10);
        }
    }
}
