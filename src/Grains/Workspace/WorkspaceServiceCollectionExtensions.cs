using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace OpenClaw.Grains.Workspace;

public static class WorkspaceServiceCollectionExtensions
{
    /// <summary>Registers <see cref="TenantWorkspaceFactory"/> with validated <see cref="WorkspaceOptions"/>.</summary>
    public static IServiceCollection AddTenantWorkspaces(this IServiceCollection services, Action<WorkspaceOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<WorkspaceOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WorkspaceOptions>, WorkspaceOptionsValidator>());
        services.TryAddSingleton<TenantWorkspaceFactory>();
        return services;
    }
}
