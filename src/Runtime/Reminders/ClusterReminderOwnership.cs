using Microsoft.Extensions.Options;

namespace OpenClaw.Runtime;

/// <summary>
/// Ownership across a cluster: the ring of the Active silos of this silo's membership view,
/// rebuilt when the membership changes. A silo that is not Active (joining, draining) owns nothing.
/// Two silos whose views differ for a moment may both fire a reminder (delivery is at least once).
/// </summary>
internal sealed class ClusterReminderOwnership : IReminderOwnership
{
    private readonly LocalSilo _local;
    private readonly int _pointsPerSilo;
    private State _state;

    public ClusterReminderOwnership(ClusterMembershipView view, LocalSilo local, IOptions<ReminderOptions> options)
    {
        _local = local;
        _pointsPerSilo = options.Value.RingPointsPerSilo;
        _state = Build(view.Current, 0);
        view.Changed += (snapshot, _) => Update(snapshot);
    }

    public long Version => Volatile.Read(ref _state).Version;

    public event Action? Changed;

    public bool Owns(uint hash)
    {
        var state = Volatile.Read(ref _state);
        return state.Self is { } self && !state.Ring.IsEmpty && state.Ring.OwnerOf(hash) == self;
    }

    public IReadOnlyList<ReminderHashRange> OwnedRanges => Volatile.Read(ref _state).Ranges;

    public SiloAddress? RemoteOwnerOf(uint hash)
    {
        var state = Volatile.Read(ref _state);
        if (state.Ring.IsEmpty) return null;
        var owner = state.Ring.OwnerOf(hash);
        return owner == state.Self ? null : owner;
    }

    private void Update(MembershipSnapshot snapshot)
    {
        var previous = Volatile.Read(ref _state);
        var next = Build(snapshot, previous.Version + 1);
        if (next.Self == previous.Self && next.Active.SequenceEqual(previous.Active)) return;
        Volatile.Write(ref _state, next);
        Changed?.Invoke();
    }

    private State Build(MembershipSnapshot snapshot, long version)
    {
        var self = _local.IsKnown && snapshot.StatusOf(_local.Address) == SiloStatus.Active ? _local.Address : (SiloAddress?)null;
        var ring = new ReminderRing(snapshot.Active, _pointsPerSilo);
        var ranges = self is { } me ? ring.RangesOf(me) : [];
        return new State(version, self, snapshot.Active.ToArray(), ring, ranges);
    }

    private sealed record State(long Version, SiloAddress? Self, SiloAddress[] Active, ReminderRing Ring, IReadOnlyList<ReminderHashRange> Ranges);
}
