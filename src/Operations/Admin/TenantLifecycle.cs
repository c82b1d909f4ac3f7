using Microsoft.Extensions.Logging;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Runtime;

namespace OpenClaw.Operations.Admin;

/// <summary>
/// The admin operations that span the registry and the tenant's grain: telling an active tenant
/// that its record changed, and purging a tenant in the order that leaves nothing behind and never
/// lets it serve meanwhile (deleted status first, so tokens stop resolving; then its grain clears
/// its state and files and deactivates; then its tokens and row go).
/// </summary>
internal sealed class TenantLifecycle(ITenantRegistry registry, IGrainFactory grains, ILogger<TenantLifecycle> logger, IGrainActivationLookup? activations = null)
{
    public ITenantRegistry Registry { get; } = registry;

    public IGrainFactory Grains { get; } = grains;

    /// <summary>
    /// Tells the tenant's grain that its record, status or tokens changed
    /// (<see cref="IUserGrainControl.TenantChanged"/>): it reloads its config and makes its edges
    /// re-check their sockets' tokens at once, so a suspension or revocation closes them with 4001
    /// now instead of at the next periodic re-check. On a silo a dormant tenant is left dormant
    /// (<see cref="IGrainActivationLookup"/>); the standalone edge has no such lookup and sends the
    /// notice anyway (activating a tenant for one admin change is harmless; it is collected when idle).
    /// A failed notice is logged: the change still applies at the next activation and re-check.
    /// </summary>
    public async Task NotifyChangedAsync(string tenantId, CancellationToken cancellationToken)
    {
        try
        {
            if (activations is not null && !await activations.IsActiveAsync<IUserGrainControl>(Grains, tenantId, cancellationToken)) return;
            await Grains.GetGrain<IUserGrainControl>(tenantId).TenantChanged(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            AdminLog.NotifyFailed(logger, tenantId, exception);
        }
    }

    /// <summary>Null when the tenant does not exist.</summary>
    public async Task<TenantPurgeResponse?> PurgeAsync(string tenantId, CancellationToken cancellationToken)
    {
        if (await Registry.GetAsync(tenantId, cancellationToken) is null)
        {
            return null;
        }

        await Registry.SetStatusAsync(tenantId, TenantStatus.Deleted, cancellationToken);
        await Registry.RevokeAllTokensAsync(tenantId, cancellationToken);
        await NotifyChangedAsync(tenantId, cancellationToken);
        var purged = await Grains.GetGrain<IUserGrainArchive>(tenantId).Purge(cancellationToken);
        var tokens = (await Registry.ListTokensAsync(tenantId, cancellationToken)).Count;
        await Registry.PurgeAsync(tenantId, cancellationToken);
        AdminLog.TenantPurged(logger, tenantId, purged.Records, purged.Files, tokens);
        return new TenantPurgeResponse(tenantId, purged.Records, purged.Files, tokens);
    }
}
