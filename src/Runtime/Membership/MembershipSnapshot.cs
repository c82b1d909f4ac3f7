namespace OpenClaw.Runtime;

/// <summary>
/// The membership table as read at one <see cref="Version"/> (every change to the table bumps
/// it, so readers poll the version and reread only when it moved).
/// </summary>
public sealed class MembershipSnapshot
{
    public static readonly MembershipSnapshot Empty = new(0, []);

    private readonly Dictionary<SiloAddress, MembershipEntry> _bySilo;

    public MembershipSnapshot(long version, IReadOnlyList<MembershipEntry> entries)
    {
        Version = version;
        Entries = entries;
        _bySilo = entries.ToDictionary(e => e.Silo);
        Active = entries.Where(e => e.Status == SiloStatus.Active).Select(e => e.Silo).Order().ToArray();
        Serving = entries.Where(e => e.IsServing).Select(e => e.Silo).Order().ToArray();
    }

    public long Version { get; }

    public IReadOnlyList<MembershipEntry> Entries { get; }

    /// <summary>Silos that take new activations, in address order.</summary>
    public IReadOnlyList<SiloAddress> Active { get; }

    /// <summary>Silos that still answer calls (Active or ShuttingDown), in address order.</summary>
    public IReadOnlyList<SiloAddress> Serving { get; }

    public MembershipEntry? Find(SiloAddress silo) => _bySilo.GetValueOrDefault(silo);

    public SiloStatus StatusOf(SiloAddress silo) => _bySilo.TryGetValue(silo, out var entry) ? entry.Status : SiloStatus.None;

    /// <summary>Dead, or unknown to a table that has rows (a silo that was never there or was cleaned up).</summary>
    /// <summary>
    /// True when the silo is draining or gone: its grains are moving away, so where it hosted them
    /// is not worth remembering (a cached entry would keep sending calls through it until it closes).
    /// </summary>
    public bool IsLeaving(SiloAddress silo) => StatusOf(silo) is SiloStatus.ShuttingDown || IsDead(silo);

    public bool IsDead(SiloAddress silo) => StatusOf(silo) is SiloStatus.Dead || (Entries.Count > 0 && !_bySilo.ContainsKey(silo));
}
