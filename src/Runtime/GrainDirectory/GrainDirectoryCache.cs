using System.Collections.Concurrent;

namespace OpenClaw.Runtime;

/// <summary>
/// What this process last learned about where grains live (from registrations, lookups and the
/// silo named in each answer). A hint, never the truth: a silo that does not hold a grain forwards
/// the call, and entries pointing at dead silos are dropped when the membership says so. Bounded:
/// past <see cref="ClusterOptions.DirectoryCacheSize"/> entries, half are dropped.
/// </summary>
internal sealed class GrainDirectoryCache(int capacity)
{
    private readonly ConcurrentDictionary<GrainId, SiloAddress> _entries = new();

    public int Count => _entries.Count;

    public bool TryGet(GrainId grainId, out SiloAddress silo) => _entries.TryGetValue(grainId, out silo);

    public void Set(GrainId grainId, SiloAddress silo)
    {
        if (_entries.Count >= capacity) Trim();
        _entries[grainId] = silo;
    }

    public void Remove(GrainId grainId) => _entries.TryRemove(grainId, out _);

    public void Remove(GrainId grainId, SiloAddress silo) => _entries.TryRemove(new KeyValuePair<GrainId, SiloAddress>(grainId, silo));

    /// <summary>Drops every entry that points at <paramref name="silo"/>; returns the grains they named.</summary>
    public List<GrainId> RemoveSilo(SiloAddress silo)
    {
        var removed = new List<GrainId>();
        foreach (var (grainId, at) in _entries)
            if (at == silo && _entries.TryRemove(new KeyValuePair<GrainId, SiloAddress>(grainId, at))) removed.Add(grainId);
        return removed;
    }

    private void Trim()
    {
        var drop = true;
        foreach (var key in _entries.Keys)
        {
            if (drop) _entries.TryRemove(key, out _);
            drop = !drop;
        }
    }
}
