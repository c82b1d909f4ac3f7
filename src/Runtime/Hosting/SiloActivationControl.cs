namespace OpenClaw.Runtime;

/// <summary>
/// Operator control over this silo's activations of one grain type: counts, a paged listing and
/// collecting the idle ones now. Used by per-silo control grains (cluster stats, "clean up idle tenants").
/// </summary>
public interface ISiloActivationControl
{
    /// <summary>The activation cap of this silo.</summary>
    int MaxActivations { get; }

    /// <summary>The idle collection age configured for <paramref name="grainType"/>; null for an unknown type.</summary>
    TimeSpan? CollectionAgeOf(string grainType);

    /// <summary>Live activations per grain type.</summary>
    IReadOnlyDictionary<string, int> CountByType();

    /// <summary>Keys of live, activated grains of <paramref name="grainType"/> after <paramref name="after"/> (ordinal order), at most <paramref name="limit"/>.</summary>
    IReadOnlyList<string> ListKeys(string grainType, string? after, int limit);

    /// <summary>Deactivates now the activations of <paramref name="grainType"/> idle for at least <paramref name="idleFor"/>; returns how many went.</summary>
    Task<int> CollectIdleAsync(string grainType, TimeSpan idleFor, CancellationToken cancellationToken);
}

internal sealed class SiloActivationControl(Catalog catalog, GrainTypeRegistry types, TimeProvider time) : ISiloActivationControl
{
    public int MaxActivations => catalog.Options.MaxActivations;

    public TimeSpan? CollectionAgeOf(string grainType) => types.TryGetByType(grainType, out var info) ? info.CollectionAge : null;

    public IReadOnlyDictionary<string, int> CountByType()
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var activation in catalog.Activations)
            counts[activation.GrainId.Type] = counts.GetValueOrDefault(activation.GrainId.Type) + 1;
        return counts;
    }

    public IReadOnlyList<string> ListKeys(string grainType, string? after, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var keys = new List<string>();
        foreach (var activation in catalog.Activations)
        {
            var id = activation.GrainId;
            if (id.Type != grainType || !activation.IsValid) continue;
            if (after is not null && string.CompareOrdinal(id.Key, after) <= 0) continue;
            keys.Add(id.Key);
        }
        keys.Sort(StringComparer.Ordinal);
        return keys.Count > limit ? keys.GetRange(0, limit) : keys;
    }

    public async Task<int> CollectIdleAsync(string grainType, TimeSpan idleFor, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(idleFor, TimeSpan.Zero);
        var now = time.GetTimestamp();
        var idleTicks = (long)(idleFor.TotalSeconds * time.TimestampFrequency);
        var reason = new DeactivationReason(DeactivationReasonCode.ActivationIdle, $"idle for {idleFor} (operator cleanup)");
        var attempts = catalog.Activations
            .Where(a => a.GrainId.Type == grainType && a.LooksIdle(now, idleTicks))
            .Select(a => a.TryCollectAsync(reason, idleTicks))
            .ToArray();
        var collected = await Task.WhenAll(attempts).WaitAsync(cancellationToken).ConfigureAwait(false);
        return collected.Count(c => c);
    }
}
