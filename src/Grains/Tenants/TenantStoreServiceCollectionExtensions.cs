using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Grains.Secrets;

namespace OpenClaw.Grains.Tenants;

public static class TenantStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="SqliteTenantRegistry"/> as the <see cref="ITenantRegistry"/> and
    /// <see cref="ITenantTokenResolver"/> singleton (replacing any other). API keys are protected with
    /// the registered <see cref="ITenantSecretProtector"/> (see <c>AddTenantSecretProtection</c>).
    /// </summary>
    public static IServiceCollection AddSqliteTenantRegistry(this IServiceCollection services, Action<SqliteTenantRegistryOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<SqliteTenantRegistryOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SqliteTenantRegistryOptions>, SqliteTenantRegistryOptionsValidator>());
        services.TryAddSingleton(sp => new SqliteTenantRegistry(
            sp.GetRequiredService<IOptions<SqliteTenantRegistryOptions>>(),
            sp.GetService<ITenantSecretProtector>(),
            sp.GetService<ILogger<SqliteTenantRegistry>>(),
            sp.GetService<TimeProvider>()));
        services.Replace(ServiceDescriptor.Singleton<ITenantRegistry>(sp => sp.GetRequiredService<SqliteTenantRegistry>()));
        services.Replace(ServiceDescriptor.Singleton<ITenantTokenResolver>(sp => sp.GetRequiredService<ITenantRegistry>()));
        return services;
    }

    /// <summary>Registers <see cref="PostgresTenantRegistry"/> as the <see cref="ITenantRegistry"/> and <see cref="ITenantTokenResolver"/> singleton (replacing any other).</summary>
    public static IServiceCollection AddPostgresTenantRegistry(this IServiceCollection services, Action<PostgresTenantRegistryOptions> configure)
    {
        AddPostgresRegistryCore(services, configure);
        services.Replace(ServiceDescriptor.Singleton<ITenantRegistry>(sp => sp.GetRequiredService<PostgresTenantRegistry>()));
        services.Replace(ServiceDescriptor.Singleton<ITenantTokenResolver>(sp => sp.GetRequiredService<ITenantRegistry>()));
        return services;
    }

    /// <summary>
    /// Only token resolution against the PostgreSQL tenant registry (for the edge): the registry is
    /// reachable through <see cref="ITenantTokenResolver"/> alone, which only reads, and needs no key ring.
    /// </summary>
    public static IServiceCollection AddPostgresTenantTokenResolver(this IServiceCollection services, Action<PostgresTenantRegistryOptions> configure)
    {
        AddPostgresRegistryCore(services, configure, readOnly: true);
        services.Replace(ServiceDescriptor.Singleton<ITenantTokenResolver>(sp => sp.GetRequiredService<PostgresTenantRegistry>()));
        return services;
    }

    private static void AddPostgresRegistryCore(IServiceCollection services, Action<PostgresTenantRegistryOptions> configure, bool readOnly = false)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<PostgresTenantRegistryOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgresTenantRegistryOptions>, PostgresTenantRegistryOptionsValidator>());
        services.TryAddSingleton(sp => new PostgresTenantRegistry(
            sp.GetRequiredService<IOptions<PostgresTenantRegistryOptions>>(),
            readOnly ? null : sp.GetService<ITenantSecretProtector>(),
            sp.GetService<ILogger<PostgresTenantRegistry>>(),
            sp.GetService<TimeProvider>()));
    }
}
