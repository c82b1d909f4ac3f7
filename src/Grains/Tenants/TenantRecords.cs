using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.Tenants;

/// <summary>What both registries do to a record before saving it.</summary>
internal static class TenantRecords
{
    public const int MaxDisplayNameLength = 200;
    public const int MaxPlanLength = 64;

    /// <summary>
    /// Validates the id and fills in what the caller left unset: a missing config becomes the
    /// default, an empty plan <c>free</c>; <see cref="TenantRecord.UpdatedAt"/> becomes
    /// <paramref name="now"/>. An unset <see cref="TenantRecord.CreatedAt"/> stays unset (the store keeps the stored one).
    /// </summary>
    public static TenantRecord Normalize(TenantRecord tenant, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        TenantIds.Validate(tenant.TenantId, nameof(tenant));
        var displayName = tenant.DisplayName ?? "";
        if (displayName.Length > MaxDisplayNameLength)
        {
            throw new ArgumentException($"Tenant '{tenant.TenantId}': the display name is longer than {MaxDisplayNameLength} characters.", nameof(tenant));
        }

        var plan = string.IsNullOrWhiteSpace(tenant.Plan) ? "free" : tenant.Plan;
        if (plan.Length > MaxPlanLength)
        {
            throw new ArgumentException($"Tenant '{tenant.TenantId}': the plan is longer than {MaxPlanLength} characters.", nameof(tenant));
        }

        return tenant with
        {
            DisplayName = displayName,
            Plan = plan,
            UpdatedAt = now,
            Config = tenant.Config ?? new TenantConfig(),
        };
    }
}
