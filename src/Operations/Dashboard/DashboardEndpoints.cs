using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenClaw.Grains.Tenants;
using OpenClaw.Runtime;

namespace OpenClaw.Operations.Dashboard;

/// <summary>
/// The operators' dashboard at <see cref="BasePath"/>: the page and its login (static files
/// embedded in this assembly) and a small JSON API under <c>/dashboard/api</c>, polled by the page.
/// </summary>
public static class DashboardEndpoints
{
    public const string BasePath = "/dashboard";
    private const int MaxLoginBodyBytes = 4096;

    public static IServiceCollection AddDashboard(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<DashboardOptions>().Bind(configuration.GetSection(DashboardOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DashboardOptions>, DashboardOptionsValidator>());
        services.AddDataProtection();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DashboardCallCounter>();
        services.AddSingleton<IIncomingGrainCallFilter>(sp => sp.GetRequiredService<DashboardCallCounter>());
        services.TryAddSingleton<DashboardSampler>();
        services.AddHostedService(sp => sp.GetRequiredService<DashboardSampler>());
        services.TryAddSingleton<DashboardSession>();
        services.TryAddSingleton<DashboardSources>();
        services.TryAddSingleton<DashboardTenants>();
        return services;
    }

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var dashboard = app.MapGroup(BasePath).AddEndpointFilter<DashboardSecurityHeadersFilter>().ExcludeFromDescription();

        dashboard.MapGet("/", (HttpContext context, DashboardSession session) =>
            session.HasSession(context.Request) ? DashboardAssets.Serve(DashboardAssets.Page) : Results.Redirect(BasePath + "/login"));
        dashboard.MapGet("/login", () => DashboardAssets.Serve(DashboardAssets.LoginPage));
        dashboard.MapGet("/assets/{name}", (string name) => DashboardAssets.Serve(name));
        dashboard.MapPost("/login", LoginAsync);
        dashboard.MapPost("/logout", (HttpContext context) =>
        {
            if (context.Request.Headers[DashboardSession.CsrfHeader].ToString() != "1") return Results.StatusCode(StatusCodes.Status403Forbidden);
            DashboardSession.SignOut(context);
            return Results.NoContent();
        });

        var api = dashboard.MapGroup("/api").AddEndpointFilter<DashboardApiAccessFilter>();
        api.MapGet("/overview", (DashboardSampler sampler) => Results.Json(Overview(sampler), DashboardJsonContext.Default.OverviewView));
        api.MapGet("/tenants/top", (DashboardTenants tenants) => Results.Json(tenants.Top(), DashboardJsonContext.Default.TopTenantsView));
        api.MapGet("/tenants/{tenantId}", (string tenantId, DashboardTenants tenants, CancellationToken ct) => TenantAsync(tenantId, load: false, tenants, ct));
        api.MapPost("/tenants/{tenantId}/load", (string tenantId, DashboardTenants tenants, CancellationToken ct) => TenantAsync(tenantId, load: true, tenants, ct));
        api.MapGet("/alerts", async (DashboardSources sources, CancellationToken ct) =>
            Results.Json(await sources.ReadAlertsAsync(ct).ConfigureAwait(false), DashboardJsonContext.Default.AlertsView));
        api.MapGet("/sync", async (DashboardSources sources, CancellationToken ct) =>
            Results.Json(await sources.ReadSyncAsync(ct).ConfigureAwait(false), DashboardJsonContext.Default.SyncView));
        return app;
    }

    internal static OverviewView Overview(DashboardSampler sampler)
    {
        var (stats, latest, siloRates, typeRates, series) = sampler.Read();
        var silos = latest?.Silos.Select(s => new SiloView(
            s.Silo, s.Status, s.HostName, s.StartedAt, s.CpuPercent, s.WorkingSetBytes, s.ManagedHeapBytes, s.Activations, s.MaxActivations,
            siloRates.GetValueOrDefault(s.Silo), s.CallLatencyP50Ms, s.CallLatencyP99Ms, s.EdgeConnections)).ToList() ?? [];

        var activationsByType = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var silo in latest?.Silos ?? [])
        {
            foreach (var (type, count) in silo.ActivationsByType) activationsByType[type] = activationsByType.GetValueOrDefault(type) + count;
        }

        var grainTypes = activationsByType.Keys.Union(typeRates.Keys)
            .Select(type => new GrainTypeView(type, activationsByType.GetValueOrDefault(type), typeRates.GetValueOrDefault(type)))
            .OrderByDescending(t => t.Activations).ThenBy(t => t.Type, StringComparer.Ordinal).ToList();
        var tenants = latest is null ? null : new TenantCounts(
            latest.TenantCountsKnown ? latest.TenantsTotal : null,
            latest.TenantCountsKnown ? latest.TenantsSuspended : null,
            activationsByType.GetValueOrDefault(DashboardCallCounter.UserGrainType));
        return new OverviewView(latest?.At ?? DateTimeOffset.UtcNow, stats, silos, latest?.Unreachable ?? [], tenants, series, grainTypes);
    }

    private static async Task<IResult> TenantAsync(string tenantId, bool load, DashboardTenants tenants, CancellationToken cancellationToken)
    {
        if (!TenantIds.IsValid(tenantId))
        {
            return Results.Problem(detail: $"Tenant ids are 1-{TenantIds.MaxLength} characters of A-Z, a-z, 0-9, '.', '_' and '-'.",
                statusCode: StatusCodes.Status400BadRequest, title: "Invalid tenant id");
        }

        var view = await tenants.FindAsync(tenantId, load, cancellationToken).ConfigureAwait(false);
        return Results.Json(view, DashboardJsonContext.Default.TenantView);
    }

    private static async Task<IResult> LoginAsync(HttpContext context, DashboardSession session, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(DashboardEndpoints).FullName!);
        var request = context.Request;
        if (request.Headers[DashboardSession.CsrfHeader].ToString() != "1")
            return Results.Problem(detail: $"Log in from the dashboard's login page (it sends {DashboardSession.CsrfHeader}: 1).", statusCode: StatusCodes.Status403Forbidden);
        if (request.ContentLength > MaxLoginBodyBytes || !request.HasJsonContentType())
            return Results.Problem(detail: "Send {\"token\": \"…\"} as JSON (at most 4 KB).", statusCode: StatusCodes.Status400BadRequest);
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = MaxLoginBodyBytes;

        LoginRequest? login;
        try
        {
            login = await request.ReadFromJsonAsync(DashboardJsonContext.Default.LoginRequest, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is System.Text.Json.JsonException or BadHttpRequestException)
        {
            return Results.Problem(detail: "Send {\"token\": \"…\"} as JSON (at most 4 KB).", statusCode: StatusCodes.Status400BadRequest);
        }

        if (!session.IsServiceToken(login?.Token))
        {
            DashboardLog.LoginRefused(logger, context.Connection.RemoteIpAddress?.ToString());
            return Results.Problem(
                detail: session.Enabled ? "Wrong service token." : "The dashboard is disabled: no service token is configured.",
                statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");
        }

        session.SignIn(context);
        DashboardLog.LoggedIn(logger, context.Connection.RemoteIpAddress?.ToString());
        return Results.NoContent();
    }
}
