using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenClaw.Operations.Admin;
using OpenClaw.Operations.Dashboard;
using OpenClaw.Operations.Stats;

namespace OpenClaw.Operations;

/// <summary>
/// Maps everything operators reach over HTTP. The silo host and the standalone edge both call
/// <see cref="AddOperatorEndpoints"/> and <see cref="MapOperatorEndpoints"/>, so the admin API and
/// the dashboard answer on any process.
/// </summary>
public static class OperatorEndpoints
{
    public static IServiceCollection AddOperatorEndpoints(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.Configure<ServiceTokenOptions>(configuration.GetSection(ServiceTokenOptions.SectionName));
        services.AddProblemDetails();
        services.AddAdminApi(configuration);
        services.AddDashboard(configuration);
        services.AddClusterStats(configuration);
        return services;
    }

    public static IEndpointRouteBuilder MapOperatorEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var admin = app.MapAdminGroup();
        admin.MapSyncAdmin();
        admin.MapTenantRoutes();
        admin.MapTokenRoutes();
        admin.MapArchiveRoutes();
        admin.MapClusterAdmin();
        app.MapAdminOpenApi();
        app.MapDashboard();
        admin.MapAlertAdmin();
        return app;
    }
}
