using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace OpenClaw.Runtime.Postgres;

public static class PostgresClusteringServiceCollectionExtensions
{
    /// <summary>Membership table, grain directory and activation audit in PostgreSQL (for silos).</summary>
    public static GrainRuntimeBuilder AddPostgresClustering(this GrainRuntimeBuilder builder, Action<PostgresClusteringOptions> configure)
    {
        builder.Services.AddPostgresMembership(configure);
        builder.Services.TryAddSingleton<IGrainDirectory, PostgresGrainDirectory>();
        builder.Services.Replace(ServiceDescriptor.Singleton<IActivationAudit, PostgresActivationAudit>());
        return builder;
    }

    /// <summary>The membership table alone (for client processes such as the edge, which only read it).</summary>
    public static IServiceCollection AddPostgresMembership(this IServiceCollection services, Action<PostgresClusteringOptions> configure)
    {
        services.AddOptions<PostgresClusteringOptions>().Configure(configure);
        services.TryAddSingleton<PostgresClusterDatabase>();
        services.TryAddSingleton<IMembershipTable, PostgresMembershipTable>();
        return services;
    }
}
