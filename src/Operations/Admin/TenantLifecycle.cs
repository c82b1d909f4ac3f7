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
internal sealed class TenantLifecycle(ITenantRegistry registry, IGrainFactory grains, ILogger<TenantLifecycle> logger)
{
    public ITenantRegistry Registry { get; } = registry;

    public IGrainFactory Grains { get; } = grains;

    /// <summary>
    /// The hook for telling the tenant's active grain that its record, status or tokens changed, so
    /// edges re-check its sockets at once. The push (<c>IUserGrainControl.TenantChanged</c>) is on
    /// branch h/sync, which does not build with the registry yet; until it is merged this does
    /// nothing, and sockets are closed by the edges' periodic re-check (see README, "Admin API").
    /// </summary>
    public Task NotifyChangedAsync(string tenantId, CancellationToken cancellationToken)
    {
        _ = tenantId;
        _ = cancellationToken;
        return Task.CompletedTask;
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
