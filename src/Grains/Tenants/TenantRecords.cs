using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.Tenants;

/// <summary>What both stores do to a record before saving it.</summary>
internal static class TenantRecords
{
    /// <summary>
    /// Validates the id and fills in what the caller left unset: <see cref="TenantRecord.CreatedAt"/>
    /// keeps the stored value (or becomes now for a new tenant), a missing config becomes the default.
    /// </summary>
    public static TenantRecord Normalize(TenantRecord tenant, DateTimeOffset? storedCreatedAt, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        TenantIds.Validate(tenant.TenantId, nameof(tenant));
        var createdAt = tenant.CreatedAt != default ? tenant.CreatedAt : storedCreatedAt ?? now;
        return tenant with
        {
            CreatedAt = createdAt,
            DisplayName = tenant.DisplayName ?? "",
            Plan = string.IsNullOrWhiteSpace(tenant.Plan) ? "free" : tenant.Plan,
            Config = tenant.Config ?? new TenantConfig(),
        };
    }
}
