using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Runtime;

namespace OpenClaw.Operations.Admin;

/// <summary>
/// The monitor's alerts on the admin API: <c>GET /admin/v1/alerts</c> (active),
/// <c>GET /admin/v1/alerts/history?limit=</c> (newest first) and <c>POST /admin/v1/alerts/evaluate</c>
/// (evaluate every rule now; answers the active alerts after it).
/// </summary>
public static class AlertAdminEndpoints
{
    public const int DefaultHistoryLimit = 100;
    public const int MaxHistoryLimit = 1_000;

    public static RouteGroupBuilder MapAlertAdmin(this RouteGroupBuilder group)
    {
        ArgumentNullException.ThrowIfNull(group);
        group.MapGet("/alerts", async ([FromServices] IGrainFactory grains, CancellationToken cancellationToken) =>
                Alerts(await Monitor(grains).GetActiveAlerts(cancellationToken).ConfigureAwait(false)))
            .WithName("GetActiveAlerts");

        group.MapGet("/alerts/history", async Task<Results<JsonHttpResult<IReadOnlyList<AlertRecord>>, ProblemHttpResult>> (
                [FromServices] IGrainFactory grains, [FromQuery] string? limit, CancellationToken cancellationToken) =>
            {
                var count = DefaultHistoryLimit;
                if (limit is not null && (!int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out count)
                        || count < 1 || count > MaxHistoryLimit))
                {
                    return TypedResults.Problem(detail: $"limit must be a whole number from 1 to {MaxHistoryLimit}.",
                        statusCode: StatusCodes.Status400BadRequest, title: "Bad request");
                }

                return Alerts(await Monitor(grains).GetAlertHistory(count, cancellationToken).ConfigureAwait(false));
            })
            .WithName("GetAlertHistory")
            .ProducesProblem(StatusCodes.Status400BadRequest);

        group.MapPost("/alerts/evaluate", async ([FromServices] IGrainFactory grains, CancellationToken cancellationToken) =>
                Alerts(await Monitor(grains).EvaluateNow(cancellationToken).ConfigureAwait(false)))
            .WithName("EvaluateAlerts");
        return group;
    }

    private static IMonitorGrain Monitor(IGrainFactory grains) => grains.GetGrain<IMonitorGrain>(IMonitorGrain.ClusterKey);

    private static JsonHttpResult<IReadOnlyList<AlertRecord>> Alerts(IReadOnlyList<AlertRecord> alerts) =>
        TypedResults.Json(alerts, ControlPlaneJsonContext.Default.IReadOnlyListAlertRecord);
}
