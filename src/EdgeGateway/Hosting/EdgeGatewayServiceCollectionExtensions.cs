using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenClaw.EdgeGateway.Auth;
using OpenClaw.EdgeGateway.Connections;
using OpenClaw.EdgeGateway.Devices;
using OpenClaw.EdgeGateway.Hosting;

namespace OpenClaw.EdgeGateway;

/// <summary>Registers the WebSocket edge. The host must also register <c>IGrainFactory</c> and <c>ITenantTokenResolver</c>.</summary>
public static class EdgeGatewayServiceCollectionExtensions
{
    /// <summary>
    /// Adds the edge with its options bound from <paramref name="edgeSection"/> (pass
    /// <c>configuration.GetSection("edge")</c>) and validated at startup.
    /// </summary>
    public static IServiceCollection AddEdgeGateway(this IServiceCollection services, IConfiguration edgeSection)
    {
        ArgumentNullException.ThrowIfNull(edgeSection);
        services.AddOptions<EdgeGatewayOptions>().Bind(edgeSection);
        return services.AddEdgeGatewayCore();
    }

    /// <summary>Adds the edge with options set in code.</summary>
    public static IServiceCollection AddEdgeGateway(this IServiceCollection services, Action<EdgeGatewayOptions>? configure = null)
    {
        var builder = services.AddOptions<EdgeGatewayOptions>();
        if (configure is not null) builder.Configure(configure);
        return services.AddEdgeGatewayCore();
    }

    private static IServiceCollection AddEdgeGatewayCore(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<EdgeGatewayOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EdgeGatewayOptions>, EdgeGatewayOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TokenDirectory>();
        services.TryAddSingleton<AuthThrottle>();
        services.TryAddSingleton<TenantLoadRegistry>();
        services.TryAddSingleton<TenantEventHubs>();
        services.TryAddSingleton<ClientAddressResolver>();
        services.TryAddSingleton<DeviceProofVerifier>();
        services.TryAddSingleton<ConnectHandshake>();
        services.TryAddSingleton<ConnectionRegistry>();
        services.TryAddSingleton(sp => new OpenClaw.EdgeGateway.Diagnostics.EdgeInstruments(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.TryAddSingleton<EdgeConnectionServices>();
        services.TryAddSingleton<EdgeGatewayEndpoint>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, EdgeGatewayShutdownService>());
        return services;
    }
}
