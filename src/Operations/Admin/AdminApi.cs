using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace OpenClaw.Operations.Admin;

/// <summary>
/// The admin REST API's route group: <see cref="BasePath"/>, behind the service token. Each concern
/// maps its routes onto this group from its own file (tenants, tokens, sync, cluster).
/// </summary>
public static class AdminApi
{
    public const string BasePath = "/admin/v1";

    public static RouteGroupBuilder MapAdminGroup(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.MapGroup(BasePath)
            .AddEndpointFilter<ServiceTokenEndpointFilter>()
            .WithTags("admin")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
    }
}
