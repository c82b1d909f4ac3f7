using OpenClaw.Runtime;

namespace OpenClaw.Cluster.Tests.Infrastructure;

/// <summary>Single-activation invariants read from the activation audit and the membership table at the end of a test.</summary>
internal static class AuditAssertions
{
    /// <summary>
    /// No key is active twice: among the silos the table does not have as Dead, each key has at most
    /// one activation row. (Rows on dead silos are history: their grains moved.)
    /// </summary>
    public static async Task AtMostOneActivationPerKeyOnLiveSilosAsync(ClusterDatabase database)
    {
        var membership = await database.MembershipAsync();
        var live = membership.Where(m => m.Value != SiloStatus.Dead).Select(m => m.Key).ToHashSet();
        var audit = await database.ActivationsAsync();
        var twice = audit.Where(r => live.Contains(r.Silo)).GroupBy(r => r.GrainId).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(r => $"{r.Silo} at {r.ActivatedAt:HH:mm:ss.fff}"))}").ToList();
        Assert.True(twice.Count == 0, $"{twice.Count} grains have more than one activation on live silos:\n{string.Join('\n', twice.Take(20))}");
    }

    /// <summary>No activation on <paramref name="silo"/> started after <paramref name="mark"/> (the database's clock).</summary>
    public static async Task NoActivationOnSiloAfterAsync(ClusterDatabase database, string silo, DateTimeOffset mark)
    {
        var late = (await database.ActivationsAsync()).Where(r => r.Silo == silo && r.ActivatedAt > mark).ToList();
        Assert.True(late.Count == 0, $"{late.Count} activations on {silo} after {mark:HH:mm:ss.fff}:\n{string.Join('\n', late.Take(20))}");
    }
}
