using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace OpenClaw.Runtime;

public static class ClusterServiceCollectionExtensions
{
    /// <summary>
    /// Makes the silo a member of a cluster: the cluster port, membership (heartbeats, probes,
    /// lease), the grain directory with strict single activation, placement, and remote calls.
    /// A membership table and a grain directory must be registered too (see OpenClaw.Runtime.Postgres).
    /// </summary>
    public static GrainRuntimeBuilder AddCluster(this GrainRuntimeBuilder builder, IConfiguration? configuration = null)
    {
        var services = builder.Services;
        services.AddClusterOptions(configuration);
        services.TryAddSingleton<LocalSilo>();
        services.TryAddSingleton(sp => new MembershipLease(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<ClusterOptions>>().Value.LeaseDuration));
        services.Replace(ServiceDescriptor.Singleton<ISiloLease>(sp => sp.GetRequiredService<MembershipLease>()));
        services.TryAddSingleton<IFatalShutdown, ProcessFatalShutdown>();
        services.TryAddSingleton<ClusterMembershipView>();
        services.TryAddSingleton<CallbackTable>();
        services.TryAddSingleton<MessageCenter>();
        services.TryAddSingleton<SiloConnector>();
        services.TryAddSingleton<ClusterListener>();
        services.TryAddSingleton<RemoteMessageSender>();
        services.TryAddSingleton<SiloProber>();
        services.TryAddSingleton<IPlacementDirector, PowerOfTwoChoicesPlacement>();
        services.TryAddSingleton<IActivationAudit, NoActivationAudit>();
        services.TryAddSingleton<ClusterGrainCallRouter>();
        services.TryAddSingleton<MembershipAgent>();
        services.TryAddSingleton<IGrainLocationEvents>(sp => sp.GetRequiredService<ClusterGrainCallRouter>());
        services.Replace(ServiceDescriptor.Singleton<IGrainCallRouter>(sp => sp.GetRequiredService<ClusterGrainCallRouter>()));
        services.Replace(ServiceDescriptor.Singleton<IGrainFactory>(sp => sp.GetRequiredService<ClusterGrainCallRouter>().GrainFactory));
        services.Replace(ServiceDescriptor.Singleton<IGrainActivationLookup, ClusterGrainActivationLookup>());

        services.AddSingleton<ISiloLifecycleParticipant, TransportLifecycle>();
        services.AddSingleton<ISiloLifecycleParticipant>(sp => sp.GetRequiredService<MembershipAgent>());
        services.AddSingleton<ISiloLifecycleParticipant, DirectoryLifecycle>();
        services.AddSingleton<ISiloLifecycleParticipant, ServingLifecycle>();
        return builder;
    }

    /// <summary>The <c>cluster</c> options with their validator (shared by silos and clients).</summary>
    public static IServiceCollection AddClusterOptions(this IServiceCollection services, IConfiguration? configuration = null)
    {
        var options = services.AddOptions<ClusterOptions>();
        if (configuration is not null) options.Bind(configuration);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClusterOptions>, ClusterOptionsValidator>());
        options.ValidateOnStart();
        return services;
    }
}

internal sealed class ClusterOptionsValidator : IValidateOptions<ClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterOptions options)
    {
        var failures = options.Validate().ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
