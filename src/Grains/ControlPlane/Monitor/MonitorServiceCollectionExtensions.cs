using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenClaw.Grains.ControlPlane.Monitor.Handlers;
using OpenClaw.Grains.ControlPlane.Monitor.Webhooks;

namespace OpenClaw.Grains.ControlPlane.Monitor;

public static class MonitorServiceCollectionExtensions
{
    /// <summary>
    /// Adds the cluster monitor to a silo: validated <see cref="MonitorOptions"/> (section
    /// <c>monitor</c> of <paramref name="configuration"/>, the root), the log and webhook handlers,
    /// the config-sync status reader and the keeper that makes sure the monitor grain runs. The
    /// cluster figures come from the host's <c>IClusterStatsReader</c> when one is registered.
    /// </summary>
    public static IServiceCollection AddClusterMonitor(this IServiceCollection services, IConfiguration? configuration = null,
        Action<MonitorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<MonitorOptions>();
        if (configuration is not null) options.Bind(configuration.GetSection(MonitorOptions.SectionName));
        if (configure is not null) options.Configure(configure);
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MonitorOptions>, MonitorOptionsValidator>());

        services.TryAddSingleton<IConfigSyncStatusReader, GrainConfigSyncStatusReader>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAlertHandler, LogAlertHandler>());
        if (!services.Any(d => d.ServiceType == typeof(AlertWebhookDispatcher)))
        {
            services.AddSingleton<AlertWebhookDispatcher>();
            services.AddSingleton<IAlertHandler>(sp => sp.GetRequiredService<AlertWebhookDispatcher>());
            services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<AlertWebhookDispatcher>());
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, MonitorKeeper>());
        return services;
    }
}
