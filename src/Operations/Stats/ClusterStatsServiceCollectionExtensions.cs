using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Operations.Stats;

public static class ClusterStatsServiceCollectionExtensions
{
    /// <summary>The cluster figures reader and the per-silo fan-out behind <c>/admin/v1/stats</c> and <c>/admin/v1/users</c>.</summary>
    public static IServiceCollection AddClusterStats(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ClusterStatsOptions>().Bind(configuration.GetSection(ClusterStatsOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClusterStatsOptions>, ClusterStatsOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SiloFanOut>();
        services.TryAddSingleton<IClusterStatsReader, ClusterStatsReader>();
        return services;
    }
}
