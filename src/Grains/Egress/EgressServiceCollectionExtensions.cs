using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace OpenClaw.Grains.Egress;

public static class EgressServiceCollectionExtensions
{
    /// <summary>
    /// Registers the validated <see cref="EgressOptions"/> (bound from <paramref name="section"/>
    /// when given, e.g. the <c>egress</c> section), the <see cref="EgressPolicy"/> and the resolver.
    /// Safe to call more than once.
    /// </summary>
    public static IServiceCollection AddEgressPolicy(
        this IServiceCollection services,
        IConfiguration? section = null,
        Action<EgressOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<EgressOptions>();
        if (section is not null)
        {
            options.Bind(section);
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EgressOptions>, EgressOptionsValidator>());
        services.TryAddSingleton(provider => new EgressPolicy(provider.GetRequiredService<IOptions<EgressOptions>>().Value));
        services.TryAddSingleton<IEgressHostResolver, DnsEgressHostResolver>();
        services.TryAddSingleton<EgressConnector>();
        return services;
    }

    /// <summary>
    /// A named <see cref="HttpClient"/> for requests made on a tenant's behalf (LLM calls, fetches):
    /// every connection it makes goes through the egress policy, it never follows redirects and
    /// never uses a proxy from the environment.
    /// </summary>
    public static IHttpClientBuilder AddEgressHttpClient(this IServiceCollection services, string name)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(name);
        services.AddEgressPolicy();
        return services.AddHttpClient(name)
            .ConfigurePrimaryHttpMessageHandler(provider => provider.GetRequiredService<EgressConnector>().CreateHandler());
    }
}
