namespace OpenClaw.Runtime;

/// <summary>
/// This process's current view of the membership table. Only moves forward (a snapshot with an
/// older version is ignored); subscribers hear about each new snapshot with the silos that died in it.
/// </summary>
public sealed class ClusterMembershipView
{
    private readonly object _lock = new();
    private MembershipSnapshot _current = MembershipSnapshot.Empty;

    public MembershipSnapshot Current => Volatile.Read(ref _current);

    /// <summary>Raised (in order, under the view's lock: handlers must be quick) with each new membership and the silos newly dead in it.</summary>
    public event Action<MembershipSnapshot, IReadOnlyList<SiloAddress>>? Changed;

    /// <summary>Adopts <paramref name="snapshot"/> if it is newer; returns whether it did.</summary>
    public bool Update(MembershipSnapshot snapshot)
    {
        List<SiloAddress> newlyDead;
        lock (_lock)
        {
            var previous = _current;
            if (snapshot.Version < previous.Version) return false;
            if (snapshot.Version == previous.Version && previous.Version != 0)
            {
                // Same membership, fresher load figures: adopt quietly.
                Volatile.Write(ref _current, snapshot);
                return false;
            }
            newlyDead = snapshot.Entries
                .Where(e => e.Status == SiloStatus.Dead && previous.StatusOf(e.Silo) is not SiloStatus.Dead)
                .Select(e => e.Silo)
                .ToList();
            Volatile.Write(ref _current, snapshot);
            Changed?.Invoke(snapshot, newlyDead);
        }
        return true;
    }
}
