using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.Tenants;

internal static class TenantPages
{
    /// <summary>A page from up to <paramref name="limit"/> + 1 rows read in id order: the extra row only says there is a next page.</summary>
    public static TenantPage From(List<TenantRecord> rows, int limit)
    {
        if (rows.Count <= limit)
        {
            return new TenantPage(rows, NextAfter: null);
        }

        rows.RemoveRange(limit, rows.Count - limit);
        return new TenantPage(rows, rows[^1].TenantId);
    }
}
