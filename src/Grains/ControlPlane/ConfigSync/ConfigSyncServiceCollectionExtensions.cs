using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace OpenClaw.Grains.ControlPlane.ConfigSync;

public static class ConfigSyncServiceCollectionExtensions
{
    /// <summary>
    /// Adds the config sync to a silo: validated <see cref="ConfigSyncOptions"/> (from <c>multiTenant</c>
    /// and <c>multiTenant:configSync</c> when <paramref name="configuration"/> is the root), the backend
    /// client and the keeper that makes sure the sync grain runs. The host also registers an
    /// <c>ITenantRegistry</c>. Standalone (no <c>multiTenant:cloudBackendUrl</c>) nothing runs.
    /// </summary>
    public static IServiceCollection AddConfigSync(this IServiceCollection services, IConfiguration? configuration = null,
        Action<ConfigSyncOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<ConfigSyncOptions>();
        if (configuration is not null)
        {
            options.Bind(configuration.GetSection(ConfigSyncOptions.SectionName));
            options.Bind(configuration.GetSection(ConfigSyncOptions.DetailSectionName));
        }

        if (configure is not null) options.Configure(configure);
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ConfigSyncOptions>, ConfigSyncOptionsValidator>());
        services.TryAddSingleton<CloudBackendClient>();
        services.AddHostedService<ConfigSyncKeeper>();
        return services;
    }
}
