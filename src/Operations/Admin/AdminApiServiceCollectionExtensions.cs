using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace OpenClaw.Operations.Admin;

/// <summary>
/// What the tenant, token and archive routes need besides the host's <c>ITenantRegistry</c> and
/// <c>IGrainFactory</c>: validated archive limits, the lifecycle service, a clock and the OpenAPI document.
/// </summary>
internal static class AdminApiServiceCollectionExtensions
{
    public static IServiceCollection AddAdminApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TenantArchiveOptions>().Bind(configuration.GetSection(TenantArchiveOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TenantArchiveOptions>, TenantArchiveOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TenantLifecycle>();
        services.AddAdminOpenApi();
        return services;
    }
}
