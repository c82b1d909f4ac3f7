using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OpenClaw.Runtime.Postgres;

public static class PostgresGrainStorageServiceCollectionExtensions
{
    /// <summary>Adds the PostgreSQL grain storage (for clusters); its table is created or upgraded on first use.</summary>
    public static IServiceCollection AddPostgresGrainStorage(this IServiceCollection services, string name, Action<PostgresGrainStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        GrainStorageServiceCollectionExtensions.EnsureNameIsFree(services, name);

        services.AddOptions<PostgresGrainStorageOptions>(name).Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgresGrainStorageOptions>, PostgresGrainStorageOptionsValidator>());
        services.AddKeyedSingleton<IGrainStorage>(name, (provider, _) => new PostgresGrainStorage(
            name,
            provider.GetRequiredService<IOptionsMonitor<PostgresGrainStorageOptions>>().Get(name),
            provider.GetService<ILogger<PostgresGrainStorage>>()));
        return services;
    }
}
