using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenClaw.Grains.Egress;

namespace OpenClaw.Grains.Agent.Web;

public static class WebFetchServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <c>web_fetch</c> tool's fetcher: validated <see cref="WebFetchOptions"/> (bound
    /// from <c>tools:webFetch</c> when <paramref name="configuration"/> is given) and its egress
    /// HttpClient (no redirects, no proxy, no cookies; every connection checked). Safe to call more than once.
    /// </summary>
    public static IServiceCollection AddWebFetch(this IServiceCollection services, IConfiguration? configuration = null, Action<WebFetchOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<WebFetchOptions>();
        if (configuration is not null)
        {
            options.Bind(configuration.GetSection(WebFetchOptions.SectionName));
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WebFetchOptions>, WebFetchOptionsValidator>());
        if (!services.Any(descriptor => descriptor.ServiceType == typeof(WebFetcher)))
        {
            // The fetcher enforces its own deadline over redirects and body; HttpClient's would cut it differently.
            services.AddEgressHttpClient(WebFetcher.ClientName).ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan);
        }

        services.TryAddSingleton<WebFetcher>();
        return services;
    }
}
