using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace OpenClaw.Runtime.Client;

public static class ClusterClientServiceCollectionExtensions
{
    /// <summary>
    /// Adds a cluster client (started with the host) and makes its <see cref="IGrainFactory"/> the
    /// process's. A membership table must be registered too (see OpenClaw.Runtime.Postgres).
    /// </summary>
    public static IServiceCollection AddClusterClient(this IServiceCollection services, IConfiguration? cluster = null, IConfiguration? client = null)
    {
        services.AddClusterOptions(cluster);
        var options = services.AddOptions<ClusterClientOptions>();
        if (client is not null) options.Bind(client);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClusterClientOptions>, ClusterClientOptionsValidator>());
        options.ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ClusterMembershipView>();
        services.TryAddSingleton<CallbackTable>();
        services.TryAddSingleton<MessageCenter>();
        services.TryAddSingleton<SiloConnector>();
        services.TryAddSingleton<RemoteMessageSender>();
        services.TryAddSingleton<LocalObserverRegistry>();
        services.TryAddSingleton(sp => new ClusterClient(
            sp.GetRequiredService<IMembershipTable>(),
            sp.GetRequiredService<ClusterMembershipView>(),
            sp.GetRequiredService<MessageCenter>(),
            sp.GetRequiredService<CallbackTable>(),
            sp.GetRequiredService<SiloConnector>(),
            sp.GetRequiredService<RemoteMessageSender>(),
            sp.GetRequiredService<LocalObserverRegistry>(),
            sp.GetRequiredService<IOptions<ClusterOptions>>(),
            sp.GetRequiredService<IOptions<ClusterClientOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<ClusterClient>>()));
        services.TryAddSingleton<IGrainCallRouter>(sp => sp.GetRequiredService<ClusterClient>());
        services.TryAddSingleton<IGrainLocationEvents>(sp => sp.GetRequiredService<ClusterClient>());
        services.TryAddSingleton<IGrainFactory>(sp => sp.GetRequiredService<ClusterClient>().GrainFactory);
        services.AddHostedService(sp => sp.GetRequiredService<ClusterClient>());
        return services;
    }
}

internal sealed class ClusterClientOptionsValidator : IValidateOptions<ClusterClientOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterClientOptions options)
    {
        var failures = options.Validate().ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
