using OpenClaw.Grains.Interfaces;
using OpenClaw.Runtime;

namespace OpenClaw.Cluster.Tests.Infrastructure;

/// <summary>Waits until the cluster answers for every grain of a test again, after a silo went away or PostgreSQL came back.</summary>
internal static class ClusterRecovery
{
    /// <summary>
    /// Until every probe key answers (optionally: from a silo other than <paramref name="notOn"/>)
    /// and every tenant's chat.history does, each round bounded by <see cref="ClusterTestTimeouts.Attempt"/>.
    /// </summary>
    public static Task WaitUntilEverythingAnswersAsync(IGrainFactory grains, IReadOnlyList<string> keys, IEnumerable<TestTenant> tenants, string? notOn = null) =>
        Eventually.TrueAsync(async () =>
        {
            var placement = await Placement.OfProbesAsync(grains, keys);
            if (notOn is not null && placement.Values.Any(silo => silo == notOn)) return false;
            foreach (var tenant in tenants)
                await TenantChat.HistoryAsync(grains.GetGrain<IUserGrain>(tenant.Id)).WaitAsync(ClusterTestTimeouts.Attempt);
            return true;
        }, ClusterTestTimeouts.Recovery, $"every probe key{(notOn is null ? "" : $" (not on {notOn})")} and tenant answers");
}
