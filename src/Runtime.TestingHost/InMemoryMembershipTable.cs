namespace OpenClaw.Runtime.TestingHost;

/// <summary>
/// A membership table in memory, shared by the silos of an in-process test cluster. Same rules
/// as the PostgreSQL table (one lock makes every operation atomic); times come from the given clock.
/// </summary>
public sealed class InMemoryMembershipTable(TimeProvider time) : IMembershipTable
{
    private readonly object _lock = new();
    private readonly Dictionary<SiloAddress, MembershipEntry> _entries = [];
    private long _version;

    /// <summary>Makes every operation throw, as if the database were down.</summary>
    public bool Unavailable { get; set; }

    public Task InitializeAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<long> ReadVersionAsync(CancellationToken cancellationToken) => Run(() => _version);

    public Task<MembershipSnapshot> ReadAllAsync(CancellationToken cancellationToken) =>
        Run(() => new MembershipSnapshot(_version, _entries.Values.ToList()));

    public Task JoinAsync(SiloAddress silo, string hostName, CancellationToken cancellationToken) => Run(() =>
    {
        if (_entries.ContainsKey(silo)) throw new InvalidOperationException($"Silo {silo} is already in the table.");
        foreach (var older in _entries.Values.Where(e => e.Silo.Host == silo.Host && e.Silo.Port == silo.Port && e.Status != SiloStatus.Dead).ToList())
            _entries[older.Silo] = older with { Status = SiloStatus.Dead };
        var now = time.GetUtcNow();
        _entries[silo] = new MembershipEntry { Silo = silo, Status = SiloStatus.Joining, HostName = hostName, StartedAt = now, IAmAliveAt = now };
        _version++;
        return true;
    });

    public Task<SiloStatus> HeartbeatAsync(SiloAddress silo, int activationCount, CancellationToken cancellationToken) => Run(() =>
    {
        if (!_entries.TryGetValue(silo, out var entry)) return SiloStatus.None;
        if (entry.Status == SiloStatus.Dead) return SiloStatus.Dead;
        _entries[silo] = entry with { IAmAliveAt = time.GetUtcNow(), ActivationCount = activationCount };
        return entry.Status;
    });

    public Task<SiloStatus> SetStatusAsync(SiloAddress silo, SiloStatus status, CancellationToken cancellationToken) => Run(() =>
    {
        if (!_entries.TryGetValue(silo, out var entry)) return SiloStatus.None;
        if (entry.Status == SiloStatus.Dead || entry.Status == status) return entry.Status;
        _entries[silo] = entry with { Status = status };
        _version++;
        return status;
    });

    public Task<SiloStatus> SuspectAsync(SiloAddress suspect, SiloAddress voter, int votesNeeded, TimeSpan voteExpiration, TimeSpan leaseDuration, CancellationToken cancellationToken) => Run(() =>
    {
        if (!_entries.TryGetValue(suspect, out var entry)) return SiloStatus.None;
        if (entry.Status == SiloStatus.Dead) return SiloStatus.Dead;
        var now = time.GetUtcNow();
        var votes = entry.Suspicions.Where(v => now - v.At < voteExpiration && v.Voter != voter).Append(new SuspicionVote(voter, now)).ToList();
        var dead = votes.Count >= votesNeeded && now - entry.IAmAliveAt >= leaseDuration;
        _entries[suspect] = entry with { Suspicions = votes, Status = dead ? SiloStatus.Dead : entry.Status };
        _version++;
        return dead ? SiloStatus.Dead : entry.Status;
    });

    public Task<int> CleanupDeadAsync(TimeSpan age, CancellationToken cancellationToken) => Run(() => 0);

    /// <summary>The status of a silo (for tests).</summary>
    public SiloStatus StatusOf(SiloAddress silo)
    {
        lock (_lock) return _entries.TryGetValue(silo, out var entry) ? entry.Status : SiloStatus.None;
    }

    private Task<T> Run<T>(Func<T> operation)
    {
        lock (_lock)
        {
            if (Unavailable) return Task.FromException<T>(new InvalidOperationException("The membership table is unavailable."));
            return Task.FromResult(operation());
        }
    }
}
