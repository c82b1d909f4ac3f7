namespace OpenClaw.Runtime;

/// <summary>Chooses the silo for a grain that has no activation anywhere.</summary>
public interface IPlacementDirector
{
    /// <summary>One of <paramref name="candidates"/> (never empty); <paramref name="loadOf"/> gives each one's load.</summary>
    SiloAddress Choose(GrainId grainId, IReadOnlyList<SiloAddress> candidates, Func<SiloAddress, int> loadOf);
}

/// <summary>
/// Power of two choices: two candidates at random, the one with fewer activations wins. Spreads
/// load almost as well as always picking the least loaded silo, without every silo herding onto
/// the same one between two load reports.
/// </summary>
public sealed class PowerOfTwoChoicesPlacement : IPlacementDirector
{
    public SiloAddress Choose(GrainId grainId, IReadOnlyList<SiloAddress> candidates, Func<SiloAddress, int> loadOf)
    {
        if (candidates.Count == 0) throw new ArgumentException("No candidate silo.", nameof(candidates));
        if (candidates.Count == 1) return candidates[0];
        var first = Random.Shared.Next(candidates.Count);
        var second = Random.Shared.Next(candidates.Count - 1);
        if (second >= first) second++;
        var a = candidates[first];
        var b = candidates[second];
        return loadOf(b) < loadOf(a) ? b : a;
    }
}
