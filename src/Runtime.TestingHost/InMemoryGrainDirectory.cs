namespace OpenClaw.Runtime.TestingHost;

/// <summary>A grain directory in memory for in-process test clusters, with the PostgreSQL directory's rules.</summary>
public sealed class InMemoryGrainDirectory(InMemoryMembershipTable membership) : IGrainDirectory
{
    private readonly object _lock = new();
    private readonly Dictionary<GrainId, GrainAddress> _entries = [];

    public int Count
    {
        get { lock (_lock) return _entries.Count; }
    }

    public Task InitializeAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<GrainAddress> RegisterAsync(GrainAddress address, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(address.GrainId, out var existing)
                && existing.Silo != address.Silo
                && membership.StatusOf(existing.Silo) is not (SiloStatus.Dead or SiloStatus.None))
                return Task.FromResult(existing);
            _entries[address.GrainId] = address;
            return Task.FromResult(address);
        }
    }

    public Task<GrainAddress?> LookupAsync(GrainId grainId, CancellationToken cancellationToken)
    {
        lock (_lock) return Task.FromResult(_entries.GetValueOrDefault(grainId));
    }

    public Task UnregisterAsync(GrainAddress address, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(address.GrainId, out var existing) && existing == address) _entries.Remove(address.GrainId);
        }
        return Task.CompletedTask;
    }

    public Task<int> RemoveDeadSilosAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var dead = _entries.Where(e => membership.StatusOf(e.Value.Silo) is SiloStatus.Dead).Select(e => e.Key).ToList();
            foreach (var key in dead) _entries.Remove(key);
            return Task.FromResult(dead.Count);
        }
    }
}
