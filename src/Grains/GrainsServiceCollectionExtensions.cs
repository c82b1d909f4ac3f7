using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenClaw.Grains.Agent.Web;
using OpenClaw.Grains.Llm;

namespace OpenClaw.Grains;

public static class GrainsServiceCollectionExtensions
{
    /// <summary>
    /// Registers what the <see cref="UserGrain"/> needs: validated <see cref="UserGrainOptions"/>
    /// (bound from <c>multiTenant:userGrain</c> when <paramref name="configuration"/> is given) and
    /// the LLM providers (their options from the <c>Llm</c> section). The host also registers an <c>ITenantRegistry</c>
    /// (<c>AddSqliteTenantRegistry</c>/<c>AddPostgresTenantRegistry</c>) and the tenant workspaces
    /// (<c>AddTenantWorkspaces</c>), which need its own configuration. Safe to call more than once.
    /// </summary>
    public static IServiceCollection AddUserGrains(
        this IServiceCollection services,
        IConfiguration? configuration = null,
        Action<UserGrainOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<UserGrainOptions>();
        if (configuration is not null)
        {
            options.Bind(configuration.GetSection(UserGrainOptions.SectionName));
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<UserGrainOptions>, UserGrainOptionsValidator>());
        services.AddLlmProviders();
        services.AddWebFetch(configuration);
        if (configuration is not null) services.AddOptions<LlmProviderOptions>().Bind(configuration.GetSection(LlmProviderOptions.SectionName));
        return services;
    }
}
