using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Runtime;

namespace OpenClaw.Operations.Dashboard;

/// <summary>
/// The tenant side of the dashboard: the top list (recently called tenants still active here) and
/// one tenant's state. A dormant tenant is never activated just to be looked at: the grain is asked
/// for its activity only when it is already active (this silo's catalog, or the grain directory in
/// a cluster) or when the operator asks for it explicitly (<c>load</c>).
/// </summary>
internal sealed class DashboardTenants(
    IServiceProvider services,
    DashboardCallCounter calls,
    IOptions<DashboardOptions> options,
    ILogger<DashboardTenants> logger)
{
    private readonly DashboardOptions _options = options.Value;

    public TopTenantsView Top()
    {
        var runtime = services.GetService<ISiloRuntime>();
        if (runtime is null) return new TopTenantsView(SourceState.NotAvailable("this process hosts no grains"), []);
        var top = calls.MostRecent(_options.TopTenants, id => runtime.IsActive(UserGrainId(id)));
        return new TopTenantsView(SourceState.Ok, top.Select(t => new TopTenantView(t.TenantId, t.LastCallAt, t.Calls, LocalSiloName())).ToList());
    }

    public async Task<TenantView> FindAsync(string tenantId, bool load, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.SourceTimeoutMs);
        var (registry, record) = await ReadRecordAsync(tenantId, timeout.Token).ConfigureAwait(false);
        var (state, activeOn) = await LocateAsync(tenantId, timeout.Token).ConfigureAwait(false);

        UserGrainActivity? activity = null;
        var activitySource = SourceState.NotAvailable(state == "dormant" ? "the tenant is dormant (not loaded to look)" : "not active here or location unknown");

        // Loading an id the registry does not know would only leave an empty activation behind.
        if (load && registry.Available && record is null)
        {
            load = false;
            activitySource = SourceState.NotAvailable("not registered: not loaded");
        }
        if (state == "active" || load)
        {
            if (load) DashboardLog.TenantLoaded(logger, tenantId);
            (activitySource, activity) = await ReadActivityAsync(tenantId, timeout.Token).ConfigureAwait(false);
            if (activity is not null && load && state != "active")
            {
                (state, activeOn) = await LocateAsync(tenantId, timeout.Token).ConfigureAwait(false);
                if (state != "active") state = "active";
            }
        }

        return new TenantView(
            tenantId, registry, record is not null, record?.DisplayName, record?.Plan, record?.Status.ToString(), record?.CreatedAt,
            record?.Config.Provider, state, activeOn, activity, activitySource);
    }

    private async Task<(SourceState, TenantRecord?)> ReadRecordAsync(string tenantId, CancellationToken cancellationToken)
    {
        try
        {
            if (services.GetService<ITenantRegistry>() is { } registry)
                return (SourceState.Ok, await registry.GetAsync(tenantId, cancellationToken).ConfigureAwait(false));
            return (SourceState.NotAvailable("no tenant registry in this process"), null);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested || exception is not OperationCanceledException)
        {
            return (SourceState.NotAvailable(exception is OperationCanceledException ? "the registry did not answer in time" : exception.Message), null);
        }
    }

    /// <summary>"active" with the silo, "dormant", or "unknown" when this process cannot tell.</summary>
    private async Task<(string State, string? ActiveOn)> LocateAsync(string tenantId, CancellationToken cancellationToken)
    {
        var grainId = UserGrainId(tenantId);
        var runtime = services.GetService<ISiloRuntime>();
        if (runtime is not null && runtime.IsActive(grainId)) return ("active", LocalSiloName());
        if (services.GetService<IGrainDirectory>() is { } directory)
        {
            try
            {
                var address = await directory.LookupAsync(grainId, cancellationToken).ConfigureAwait(false);
                return address is null ? ("dormant", null) : ("active", address.Silo.ToString());
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return ("unknown", null);
            }
        }

        // A single silo's own catalog is the whole truth; without a runtime (standalone edge) we cannot tell.
        return runtime is not null ? ("dormant", null) : ("unknown", null);
    }

    private async Task<(SourceState, UserGrainActivity?)> ReadActivityAsync(string tenantId, CancellationToken cancellationToken)
    {
        var grains = services.GetService<IGrainFactory>();
        if (grains is null) return (SourceState.NotAvailable("this process has no grain runtime or client"), null);
        try
        {
            return (SourceState.Ok, await grains.GetGrain<IUserGrainInspect>(tenantId).GetActivity(cancellationToken).ConfigureAwait(false));
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return (SourceState.NotAvailable(exception.Message), null);
        }
    }

    private static GrainId UserGrainId(string tenantId) => new(DashboardCallCounter.UserGrainType, tenantId);

    private string LocalSiloName() =>
        services.GetService<LocalSilo>() is { IsKnown: true } silo ? silo.Address.ToString() : "local";
}
