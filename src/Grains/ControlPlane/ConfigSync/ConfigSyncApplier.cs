using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.ControlPlane.ConfigSync;

/// <summary>
/// Applies one validated page to the registry: records in batches (<see cref="ITenantRegistry.UpsertManyAsync"/>),
/// then status changes, then tokens (backend tokens are added by hash; a revoked one is revoked, and
/// one the gateway never saw is recorded already expired so that it never works). Every step is
/// idempotent, so a page applied twice (after a failure part way) ends in the same state.
/// </summary>
public sealed class ConfigSyncApplier(ITenantRegistry registry, int batchSize)
{
    /// <summary>Applies <paramref name="tenants"/>; returns the counts and the ids of the tenants that changed.</summary>
    public async Task<(SyncCounts Counts, IReadOnlyList<string> Changed)> ApplyAsync(IReadOnlyList<SyncedTenant> tenants, CancellationToken cancellationToken)
    {
        var counts = new SyncCounts();
        var changed = new List<string>(tenants.Count);
        for (var start = 0; start < tenants.Count; start += batchSize)
        {
            var batch = tenants.Skip(start).Take(batchSize).ToList();
            var (batchCounts, batchChanged) = await ApplyBatchAsync(batch, cancellationToken).ConfigureAwait(false);
            counts += batchCounts;
            changed.AddRange(batchChanged);
        }

        return (counts, changed);
    }

    private async Task<(SyncCounts, List<string>)> ApplyBatchAsync(List<SyncedTenant> batch, CancellationToken cancellationToken)
    {
        var existing = new TenantRecord?[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            existing[i] = await registry.GetAsync(batch[i].Record.TenantId, cancellationToken).ConfigureAwait(false);
        }

        // A user deleted at the backend that this cluster never had stays absent (no tombstone rows).
        var applied = Enumerable.Range(0, batch.Count)
            .Where(i => existing[i] is not null || batch[i].Status != TenantStatus.Deleted)
            .ToList();
        var records = applied.Select(i => batch[i].Record with { CreatedAt = existing[i]?.CreatedAt ?? default }).ToList();
        if (records.Count > 0) await registry.UpsertManyAsync(records, cancellationToken).ConfigureAwait(false);

        int created = 0, updated = 0, suspended = 0, deleted = 0, revoked = 0;
        var changed = new List<string>(applied.Count);
        foreach (var i in applied)
        {
            var tenant = batch[i];
            var id = tenant.Record.TenantId;
            var before = existing[i];
            changed.Add(id);
            if (before is null) created++;
            else updated++;

            if (tenant.Status != TenantStatus.Active)
            {
                await registry.SetStatusAsync(id, tenant.Status, cancellationToken).ConfigureAwait(false);
                if (tenant.Status == TenantStatus.Deleted) deleted++;
                else if (before is null || before.Status == TenantStatus.Active) suspended++;
            }
            else if (before is not null && before.Status != TenantStatus.Active)
            {
                await registry.SetStatusAsync(id, TenantStatus.Active, cancellationToken).ConfigureAwait(false);
            }

            foreach (var token in tenant.Tokens)
            {
                if (token.Revoked)
                {
                    var info = await registry.AddTokenHashAsync(id, token.Hash,
                        new TenantTokenRequest { Name = token.Name, ExpiresAt = DateTimeOffset.UnixEpoch }, cancellationToken).ConfigureAwait(false);
                    if (await registry.RevokeTokenAsync(id, info.TokenId, cancellationToken).ConfigureAwait(false)) revoked++;
                }
                else
                {
                    await registry.AddTokenHashAsync(id, token.Hash,
                        new TenantTokenRequest { Name = token.Name, ExpiresAt = token.ExpiresAt }, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        return (new SyncCounts
        {
            Created = created, Updated = updated, Suspended = suspended, Deleted = deleted, TokensRevoked = revoked,
        }, changed);
    }
}
