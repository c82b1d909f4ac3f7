using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenClaw.Grains.Egress;
using OpenClaw.Grains.Gateway;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Grains.Llm;
using OpenClaw.Grains.Workspace;
using OpenClaw.Runtime;

namespace OpenClaw.Grains;

/// <summary>
/// One tenant's gateway: answers the protocol calls the edge forwards, runs the tenant's chats
/// against its configured LLM provider and pushes the events to every connection of the tenant.
/// The work is done by <see cref="GatewayDispatcher"/> (runtime-independent); this class binds it
/// to the activation: durable state (its own records in the default grain storage, see
/// <see cref="PersistentUserStateStore"/>), connection observers, tenant loading, pinning while
/// runs are in progress, and clean deactivation.
/// <para>
/// Reentrant: turns never run in parallel, but a call that awaits (the final answer of
/// <c>agent</c> waiting for its run, <c>agent.wait</c>, a state write) lets the tenant's other
/// calls run meanwhile instead of holding them back. The handlers are written for that: they
/// already interleave with the background chat runs at the same await points.
/// </para>
/// </summary>
[Reentrant]
public sealed partial class UserGrain : Grain, IUserGrain
{
    private readonly ITenantRegistry _tenants;
    private readonly TenantWorkspaceFactory _workspaces;
    private readonly UserGrainOptions _options;
    private readonly ILogger<UserGrain> _logger;
    private readonly ObserverEventSink _connections;
    private readonly GatewayContext _context;
    private readonly GatewayDispatcher _dispatcher;

    public UserGrain(
        ITenantRegistry tenants,
        ILlmProviderRegistry providers,
        EgressPolicy egress,
        TenantWorkspaceFactory workspaces,
        IOptions<UserGrainOptions> options,
        ILogger<UserGrain> logger,
        Diagnostics.GrainsInstruments instruments)
    {
        _tenants = tenants;
        _workspaces = workspaces;
        _options = options.Value;
        _logger = logger;

        var tenantId = GetPrimaryKeyString();
        _connections = new ObserverEventSink(this, TenantEventSubscription.Expiration, tenantId, logger);
        var storage = new LeaseFencedGrainStorage(
            ServiceProvider.GetRequiredKeyedService<IGrainStorage>(GrainStorageNames.Default), ServiceProvider.GetRequiredService<ISiloLease>());
        var state = new PersistentUserStateStore(storage, GrainId.Type, tenantId, _options);
        _context = new GatewayContext(tenantId, _options, state, _connections, providers, egress, TimeProvider, logger)
        {
            Secrets = ServiceProvider.GetService<Secrets.ITenantSecretProtector>(),
            StateConflict = DeactivateOnIdle,
            RunsActiveChanged = KeepAlive,
            Instruments = instruments,
            Workspace = workspaces.ForTenant(tenantId),
            WebFetch = ServiceProvider.GetService<Agent.Web.WebFetcher>(),
            Schedule = this,
        };
        _dispatcher = new GatewayDispatcher(_context);
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await _context.LoadStateAsync(cancellationToken);
        await LoadTenantAsync(cancellationToken);
        if (_context.Tenant is not null)
        {
            await _context.Cron.ActivatedAsync();
        }

        UserGrainLog.Activated(_logger, _context.TenantId, _context.Sessions.Count);
    }

    /// <summary>Aborts the runs still in progress, writes what is dirty, and closes the state to late writes.</summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        UserGrainLog.Deactivating(_logger, _context.TenantId, reason.ToString(), _context.Runs.ActiveCount);
        await _context.Runs.AbortAllAsync(ChatRunExecutor.ShutdownStopReason);
        try
        {
            await _context.State.SaveAsync(cancellationToken);
        }
        catch (Exception exception)
        {
            UserGrainLog.StateWriteFailed(_logger, _context.TenantId, "deactivation", exception);
        }
        finally
        {
            _context.State.Close();
            // Edges with sockets subscribe again; that activates the tenant where placement puts it.
            _connections.PublishActivationEnding();
        }
    }

    public Task<GatewayReply> Invoke(GatewayCall call, CancellationToken cancellationToken) => InvokeAsync(call);

    public Task<GatewayReply> InvokeInterleaved(GatewayCall call, CancellationToken cancellationToken) => InvokeAsync(call);

    public Task Subscribe(string subscriberId, ITenantEventObserver observer)
    {
        ArgumentException.ThrowIfNullOrEmpty(subscriberId);
        ArgumentNullException.ThrowIfNull(observer);
        _connections.Subscribe(subscriberId, observer);
        return Task.CompletedTask;
    }

    public Task Unsubscribe(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        _connections.Unsubscribe(id);
        return Task.CompletedTask;
    }

    private async Task<GatewayReply> InvokeAsync(GatewayCall call)
    {
        if (call is null)
        {
            return GatewayReply.Failure(GatewayError.InvalidRequest("missing request"));
        }

        var reply = await _dispatcher.InvokeAsync(call);
        if (_context.Tenant is null)
        {
            // Not registered, disabled or the store failed: look the tenant up again on the next call.
            DeactivateOnIdle();
        }

        return reply;
    }

    private async Task LoadTenantAsync(CancellationToken cancellationToken)
    {
        var tenantId = _context.TenantId;
        try
        {
            var tenant = await _tenants.GetAsync(tenantId, cancellationToken);
            if (tenant is null)
            {
                SetUnavailable($"tenant \"{tenantId}\" is not registered");
            }
            else if (tenant.Status != TenantStatus.Active)
            {
                SetUnavailable($"tenant \"{tenantId}\" is {(tenant.Status == TenantStatus.Suspended ? "suspended" : "deleted")}");
            }
            else
            {
                _context.SetTenant(tenant);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            UserGrainLog.TenantLoadFailed(_logger, tenantId, exception);
            _context.SetUnavailable("the tenant directory is unavailable; try again shortly");
        }
    }

    private void SetUnavailable(string reason)
    {
        _tenantRefused = true;
        UserGrainLog.TenantUnavailable(_logger, _context.TenantId, reason);
        _context.SetUnavailable(reason);
    }
}
