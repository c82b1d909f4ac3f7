using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OpenClaw.Runtime;

/// <summary>
/// Registers grain storage providers (the PostgreSQL one lives in OpenClaw.Runtime.Postgres) as keyed singletons of <see cref="IGrainStorage"/>; the key is
/// the provider name that <see cref="PersistentStateAttribute"/> refers to
/// (<see cref="GrainStorageNames.Default"/> when it names none). Options are named after the
/// provider and validated when the host starts (or on first resolve without a host).
/// </summary>
public static class GrainStorageServiceCollectionExtensions
{
    /// <summary>Adds the embedded file storage (zero setup, durable, for a single silo).</summary>
    public static IServiceCollection AddFileGrainStorage(this IServiceCollection services, string name, Action<FileGrainStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        EnsureNameIsFree(services, name);

        services.AddOptions<FileGrainStorageOptions>(name).Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FileGrainStorageOptions>, FileGrainStorageOptionsValidator>());
        services.AddKeyedSingleton<IGrainStorage>(name, (provider, _) => new FileGrainStorage(
            name,
            provider.GetRequiredService<IOptionsMonitor<FileGrainStorageOptions>>().Get(name),
            provider.GetService<ILogger<FileGrainStorage>>()));
        return services;
    }

    internal static void EnsureNameIsFree(IServiceCollection services, string name)
    {
        if (services.Any(d => d.IsKeyedService && d.ServiceType == typeof(IGrainStorage) && Equals(d.ServiceKey, name)))
        {
            throw new InvalidOperationException($"A grain storage provider named '{name}' is already registered; each name can be used once.");
        }
    }
}
