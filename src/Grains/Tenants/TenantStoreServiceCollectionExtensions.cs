using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.Tenants;

public static class TenantStoreServiceCollectionExtensions
{
    /// <summary>Registers <see cref="FileTenantStore"/> as the <see cref="ITenantStore"/> singleton (replacing any other).</summary>
    public static IServiceCollection AddFileTenantStore(this IServiceCollection services, Action<FileTenantStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<FileTenantStoreOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FileTenantStoreOptions>, FileTenantStoreOptionsValidator>());
        services.TryAddSingleton(sp => new FileTenantStore(
            sp.GetRequiredService<IOptions<FileTenantStoreOptions>>(),
            sp.GetService<ILogger<FileTenantStore>>(),
            sp.GetService<TimeProvider>()));
        services.Replace(ServiceDescriptor.Singleton<ITenantStore>(sp => sp.GetRequiredService<FileTenantStore>()));
        services.Replace(ServiceDescriptor.Singleton<ITenantTokenResolver>(sp => sp.GetRequiredService<ITenantStore>()));
        return services;
    }

    /// <summary>Registers <see cref="PostgresTenantStore"/> as the <see cref="ITenantStore"/> singleton (replacing any other).</summary>
    public static IServiceCollection AddPostgresTenantStore(this IServiceCollection services, Action<PostgresTenantStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<PostgresTenantStoreOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgresTenantStoreOptions>, PostgresTenantStoreOptionsValidator>());
        services.TryAddSingleton(sp => new PostgresTenantStore(
            sp.GetRequiredService<IOptions<PostgresTenantStoreOptions>>(),
            sp.GetService<ILogger<PostgresTenantStore>>(),
            sp.GetService<TimeProvider>()));
        services.Replace(ServiceDescriptor.Singleton<ITenantStore>(sp => sp.GetRequiredService<PostgresTenantStore>()));
        services.Replace(ServiceDescriptor.Singleton<ITenantTokenResolver>(sp => sp.GetRequiredService<ITenantStore>()));
        return services;
    }

    /// <summary>
    /// Only token resolution against the PostgreSQL tenant registry (for the edge): the store is
    /// reachable through <see cref="ITenantTokenResolver"/> alone, which only reads.
    /// </summary>
    public static IServiceCollection AddPostgresTenantTokenResolver(this IServiceCollection services, Action<PostgresTenantStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<PostgresTenantStoreOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgresTenantStoreOptions>, PostgresTenantStoreOptionsValidator>());
        services.TryAddSingleton(sp => new PostgresTenantStore(
            sp.GetRequiredService<IOptions<PostgresTenantStoreOptions>>(),
            sp.GetService<ILogger<PostgresTenantStore>>(),
            sp.GetService<TimeProvider>()));
        services.Replace(ServiceDescriptor.Singleton<ITenantTokenResolver>(sp => sp.GetRequiredService<PostgresTenantStore>()));
        return services;
    }
}
