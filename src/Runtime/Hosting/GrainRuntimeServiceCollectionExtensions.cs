using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenClaw.Runtime.Diagnostics;
using System.Diagnostics.Metrics;

namespace OpenClaw.Runtime;

public static class GrainRuntimeServiceCollectionExtensions
{
    /// <summary>
    /// Adds the virtual-actor runtime (catalog, collector, timeouts, graceful shutdown) to a host.
    /// Options bind from <paramref name="configuration"/> when given. Register grain assemblies
    /// and storage on the returned builder.
    /// </summary>
    public static GrainRuntimeBuilder AddGrainRuntime(this IServiceCollection services, IConfiguration? configuration = null)
    {
        var options = services.AddOptions<GrainRuntimeOptions>();
        if (configuration is not null) options.Bind(configuration);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GrainRuntimeOptions>, GrainRuntimeOptionsValidator>());
        options.ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<GrainTypeRegistry>();
        services.TryAddSingleton<LocalSilo>(); // unknown address for a single silo; set by the cluster transport
        services.TryAddSingleton<GrainActivator>();
        services.TryAddSingleton<GrainCallStatistics>();
        services.TryAddSingleton(sp => new RuntimeInstruments(sp.GetService<IMeterFactory>(), sp.GetRequiredService<GrainCallStatistics>()));
        services.TryAddSingleton<Catalog>();
        services.TryAddSingleton<ISiloLease>(UnlimitedSiloLease.Instance);
        services.TryAddSingleton<LocalObserverRegistry>();
        services.TryAddSingleton<LocalGrainCallRouter>();
        services.TryAddSingleton<IGrainCallRouter>(sp => sp.GetRequiredService<LocalGrainCallRouter>());
        services.TryAddSingleton<IGrainFactory>(sp => sp.GetRequiredService<LocalGrainCallRouter>().GrainFactory);
        services.TryAddSingleton<ActivationCollector>();
        services.TryAddSingleton<CallTimeoutMonitor>();
        services.TryAddSingleton<ISiloRuntime, SiloRuntime>();
        services.TryAddSingleton<ISiloActivationControl, SiloActivationControl>();
        services.TryAddSingleton<IGrainActivationLookup, LocalGrainActivationLookup>();

        // The silo starts and stops through named stages (SiloLifecycleStage), run by one hosted
        // service. It is registered here, before anything the host adds later (the edge), so that
        // those stop first: hosted services stop in reverse order of registration.
        services.AddSingleton<ISiloLifecycleParticipant>(sp => RuntimeServices(sp.GetRequiredService<ActivationCollector>()));
        services.AddSingleton<ISiloLifecycleParticipant>(sp => RuntimeServices(sp.GetRequiredService<CallTimeoutMonitor>()));
        services.AddSingleton<ISiloLifecycleParticipant, CatalogLifecycle>();
        services.TryAddSingleton<SiloLifecycleRunner>();
        services.TryAddSingleton<ISiloLifecycle>(sp => sp.GetRequiredService<SiloLifecycleRunner>());
        services.AddHostedService(sp => sp.GetRequiredService<SiloLifecycleRunner>());
        return new GrainRuntimeBuilder(services);
    }

    private static ISiloLifecycleParticipant RuntimeServices(IHostedService service) =>
        new LifecycleParticipant(SiloLifecycleStage.RuntimeServices, service.StartAsync, service.StopAsync);
}

/// <summary>Configures the runtime added by <see cref="GrainRuntimeServiceCollectionExtensions.AddGrainRuntime"/>.</summary>
public sealed class GrainRuntimeBuilder(IServiceCollection services)
{
    public IServiceCollection Services { get; } = services;

    /// <summary>Hosts the grain classes of <paramref name="assembly"/> in this silo.</summary>
    public GrainRuntimeBuilder AddGrains(Assembly assembly)
    {
        Services.AddSingleton(new GrainAssembly(assembly));
        return this;
    }

    public GrainRuntimeBuilder Configure(Action<GrainRuntimeOptions> configure)
    {
        Services.Configure(configure);
        return this;
    }
}

internal sealed class GrainRuntimeOptionsValidator : IValidateOptions<GrainRuntimeOptions>
{
    public ValidateOptionsResult Validate(string? name, GrainRuntimeOptions options)
    {
        var failures = options.Validate().ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
