using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenClaw.Grains.Secrets;
using OpenClaw.Grains.Tenants;
using OpenClaw.Operations;
using OpenClaw.Runtime;
using OpenClaw.Runtime.Client;
using OpenClaw.Runtime.Postgres;

namespace OpenClaw.EdgeGateway.Hosting;

/// <summary>
/// The stateless edge as its own process (<c>dotnet run --project src/EdgeGateway -- --postgres "Host=…"</c>):
/// the WebSocket gateway in front of a cluster, which it joins as a client through the membership
/// table. It resolves tokens through a read-only resolver on the tenant registry and holds nothing
/// but its open sockets. Configuration names are the silo's: <c>--port</c>/<c>OPENCLAW_PORT</c>,
/// <c>--host</c>, <c>--postgres</c> (<c>storage:postgresConnectionString</c>), the <c>cluster</c>,
/// <c>client</c> and <c>edge</c> sections, and the file named by <c>OPENCLAW_GLOBAL_CONFIG</c>.
/// </summary>
public static class EdgeProgram
{
    public const int DefaultPort = 18789;

    public static async Task<int> Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args });
        EdgeHostConfiguration.Apply(builder, args);
        var configuration = builder.Configuration;
        var connectionString = configuration["cluster:postgresConnectionString"] ?? configuration["storage:postgresConnectionString"];
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            await Console.Error.WriteLineAsync("openclaw-edge: no PostgreSQL connection string: pass --postgres \"Host=…;Database=…\" (or set storage__postgresConnectionString). The edge finds the silos through the cluster's membership table.");
            return 2;
        }

        builder.Services.AddClusterClient(configuration.GetSection(ClusterOptions.SectionName), configuration.GetSection(ClusterClientOptions.SectionName));
        builder.Services.AddPostgresMembership(o => o.ConnectionString = connectionString);
        // The full registry (the admin API writes tenants and tokens here too), with the cluster's key ring for API keys.
        builder.Services.AddPostgresTenantRegistry(o => o.ConnectionString = connectionString);
        builder.Services.AddPostgresTenantSecretProtection(connectionString);
        builder.Services.AddEdgeGateway(configuration.GetSection("edge"));
        builder.Services.AddOperatorEndpoints(configuration);
        builder.Services.AddEdgeTelemetry(configuration);

        var app = builder.Build();
        EdgeHealthEndpoint.Map(app);
        app.MapEdgeTelemetry();
        app.MapOperatorEndpoints();
        app.MapEdgeGateway();
        app.Lifetime.ApplicationStarted.Register(() =>
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("OpenClaw.Edge").LogInformation(
                "OpenClaw edge {ClientId} listening on {Urls}", app.Services.GetRequiredService<ClusterClient>().ClientId, string.Join(", ", app.Urls)));
        try
        {
            await app.RunAsync().ConfigureAwait(false);
            return 0;
        }
        catch (OptionsValidationException ex)
        {
            await Console.Error.WriteLineAsync($"openclaw-edge: invalid configuration: {string.Join("; ", ex.Failures)}");
            return 2;
        }
    }
}
