using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OpenClaw.Runtime.TestingHost;

/// <summary>
/// An in-process silo for tests (the counterpart of Orleans' TestCluster): a real host with the
/// runtime, a manual clock, and in-memory default storage unless the test registers its own.
/// </summary>
public sealed class TestSilo : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _stopped;

    private TestSilo(IHost host, ManualTimeProvider time)
    {
        _host = host;
        Time = time;
    }

    public IServiceProvider Services => _host.Services;
    public IGrainFactory GrainFactory => _host.Services.GetRequiredService<IGrainFactory>();
    public ISiloRuntime Runtime => _host.Services.GetRequiredService<ISiloRuntime>();
    public ManualTimeProvider Time { get; }

    /// <summary>Starts a silo hosting the grain classes of <paramref name="grainAssembly"/>.</summary>
    public static async Task<TestSilo> StartAsync(
        Assembly grainAssembly,
        Action<GrainRuntimeOptions>? configureOptions = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var time = new ManualTimeProvider();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<TimeProvider>(time);
        var runtime = builder.Services.AddGrainRuntime();
        runtime.AddGrains(grainAssembly);
        if (configureOptions is not null) runtime.Configure(configureOptions);
        configureServices?.Invoke(builder.Services);
        if (!builder.Services.Any(d => d.IsKeyedService && Equals(d.ServiceKey, GrainStorageNames.Default) && d.ServiceType == typeof(IGrainStorage)))
            builder.Services.AddKeyedSingleton<IGrainStorage>(GrainStorageNames.Default, new InMemoryGrainStorage());
        var host = builder.Build();
        await host.StartAsync();
        return new TestSilo(host, time);
    }

    public GrainId GrainIdOf<TGrainInterface>(string key) where TGrainInterface : IGrainWithStringKey =>
        ((GrainReference)(object)GrainFactory.GetGrain<TGrainInterface>(key)).GrainId;

    public Task DeactivateAsync<TGrainInterface>(string key) where TGrainInterface : IGrainWithStringKey =>
        Runtime.DeactivateAsync(GrainIdOf<TGrainInterface>(key));

    public bool IsActive<TGrainInterface>(string key) where TGrainInterface : IGrainWithStringKey =>
        Runtime.IsActive(GrainIdOf<TGrainInterface>(key));

    /// <summary>Moves the clock and runs an idle-collection pass; returns how many were collected.</summary>
    public async Task<int> AdvanceAndCollectAsync(TimeSpan delta)
    {
        Time.Advance(delta);
        return await Runtime.CollectIdleActivationsAsync();
    }

    /// <summary>Stops the host gracefully: every activation deactivates first.</summary>
    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        await _host.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _host.Dispose();
    }
}
