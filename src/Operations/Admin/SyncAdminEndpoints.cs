using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OpenClaw.Grains.ControlPlane.ConfigSync;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Grains.Tenants;
using OpenClaw.Runtime;

namespace OpenClaw.Operations.Admin;

/// <summary>
/// The config sync on the admin API: <c>GET /sync</c> (status), <c>POST /sync</c> (a pass now, as
/// <c>multi-tenant config sync</c> does) and <c>POST /sync/tenants/{id}</c> (the Cloud Backend's push
/// notice after it changed one user: that user is synced now instead of within one interval).
/// </summary>
public static class SyncAdminEndpoints
{
    public static RouteGroupBuilder MapSyncAdmin(this RouteGroupBuilder group)
    {
        ArgumentNullException.ThrowIfNull(group);
        group.MapGet("/sync", async (IGrainFactory grains, CancellationToken cancellationToken) =>
                Results.Ok(await Grain(grains).GetStatus(cancellationToken)))
            .WithName("GetSyncStatus")
            .WithSummary("Where the config sync with the Cloud Backend stands")
            .Produces<ConfigSyncStatus>();

        group.MapPost("/sync", async (IGrainFactory grains, CancellationToken cancellationToken) =>
                Results.Ok(await Grain(grains).SyncNow(cancellationToken)))
            .WithName("RunSync")
            .WithSummary("Runs a config sync pass now (or joins the one in progress) and returns the status after it")
            .Produces<ConfigSyncStatus>();

        group.MapPost("/sync/tenants/{id}", async (string id, IGrainFactory grains, CancellationToken cancellationToken) =>
            {
                if (!TenantIds.IsValid(id))
                {
                    return Results.ValidationProblem(
                        new Dictionary<string, string[]> { ["id"] = [$"A tenant id is 1-{TenantIds.MaxLength} characters of A-Z, a-z, 0-9, '.', '_' and '-'."] });
                }

                var grain = Grain(grains);
                if (!(await grain.GetStatus(cancellationToken)).Enabled)
                {
                    return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Config sync is off",
                        detail: "No multiTenant:cloudBackendUrl is configured: this cluster runs standalone.");
                }

                try
                {
                    return Results.Ok(await grain.SyncTenant(id, cancellationToken));
                }
                catch (Exception exception) when (IsBackendFailure(exception))
                {
                    return Results.Problem(statusCode: StatusCodes.Status502BadGateway, title: "The Cloud Backend failed",
                        detail: exception.Message);
                }
            })
            .WithName("SyncTenant")
            .WithSummary("Syncs one tenant from the Cloud Backend now (the backend's push notice)")
            .Produces<ConfigSyncStatus>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status502BadGateway);
        return group;
    }

    private static IConfigSyncGrain Grain(IGrainFactory grains) => grains.GetGrain<IConfigSyncGrain>(IConfigSyncGrain.ClusterKey);

    /// <summary>The backend's failure, as thrown here (same process) or as it arrives from another silo.</summary>
    private static bool IsBackendFailure(Exception exception) => exception switch
    {
        CloudBackendException or CursorExpiredException => true,
        RemoteGrainException remote => remote.RemoteType == typeof(CloudBackendException).FullName,
        _ => false,
    };
}
