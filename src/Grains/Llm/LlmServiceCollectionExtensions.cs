using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenClaw.Grains.Egress;
using OpenClaw.Grains.Diagnostics;
using System.Diagnostics.Metrics;

namespace OpenClaw.Grains.Llm;

public static class LlmServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <c>echo</c>, <c>openai</c> and <c>anthropic</c> providers, their named
    /// <see cref="HttpClient"/>s (egress clients: see <see cref="EgressServiceCollectionExtensions.AddEgressHttpClient"/>)
    /// and <see cref="ILlmProviderRegistry"/>. Safe to call more than once.
    /// </summary>
    public static IServiceCollection AddLlmProviders(this IServiceCollection services, Action<LlmProviderOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<LlmProviderOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LlmProviderOptions>, LlmProviderOptionsValidator>());

        // Tenants choose where these go: every connection passes the egress policy. The providers
        // enforce their own response and idle timeouts; HttpClient's would cut long streams.
        services.AddEgressHttpClient(OpenAiProvider.ClientName).ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan);
        services.AddEgressHttpClient(AnthropicProvider.ClientName).ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan);

        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILlmProvider, EchoProvider>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILlmProvider, OpenAiProvider>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILlmProvider, AnthropicProvider>());
        services.TryAddSingleton<LlmProviderRegistry>();
        services.TryAddSingleton<ChatRunStatistics>();
        services.TryAddSingleton(sp => new GrainsInstruments(sp.GetService<IMeterFactory>(), sp.GetRequiredService<ChatRunStatistics>()));
        services.TryAddSingleton<ILlmProviderRegistry, InstrumentedLlmProviderRegistry>();
        services.TryAddSingleton(sp => new ControlPlaneInstruments(sp.GetService<IMeterFactory>()));
        return services;
    }
}
