namespace OpenClaw.Runtime;

/// <summary>
/// The cluster's membership table (PostgreSQL in a cluster, in memory in tests). Every operation
/// is atomic on its own; every change bumps the table version. Times are the table's own clock
/// (the database's), so silos never compare their clocks with each other.
/// </summary>
public interface IMembershipTable
{
    /// <summary>Creates or upgrades the table.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    Task<long> ReadVersionAsync(CancellationToken cancellationToken);

    Task<MembershipSnapshot> ReadAllAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Inserts a joining silo. Every older generation on the same endpoint is declared dead in the
    /// same step (it is a previous run of this silo). Fails if this exact silo is already there.
    /// </summary>
    Task JoinAsync(SiloAddress silo, string hostName, CancellationToken cancellationToken);

    /// <summary>Renews the silo's lease and reports its load; returns its status afterwards (Dead: it was declared dead).</summary>
    Task<SiloStatus> HeartbeatAsync(SiloAddress silo, int activationCount, CancellationToken cancellationToken);

    /// <summary>Moves a live silo to <paramref name="status"/>; never moves a Dead one. Returns the status afterwards.</summary>
    Task<SiloStatus> SetStatusAsync(SiloAddress silo, SiloStatus status, CancellationToken cancellationToken);

    /// <summary>
    /// Records <paramref name="voter"/>'s vote that <paramref name="suspect"/> does not answer, drops
    /// votes older than <paramref name="voteExpiration"/>, and declares the suspect Dead when it has
    /// at least <paramref name="votesNeeded"/> live votes AND its lease has not been renewed for
    /// <paramref name="leaseDuration"/> (so a suspect is never declared dead while it may still be
    /// serving). Returns the suspect's status afterwards.
    /// </summary>
    Task<SiloStatus> SuspectAsync(SiloAddress suspect, SiloAddress voter, int votesNeeded, TimeSpan voteExpiration, TimeSpan leaseDuration, CancellationToken cancellationToken);

    /// <summary>Removes Dead rows older than <paramref name="age"/> (housekeeping); returns how many.</summary>
    Task<int> CleanupDeadAsync(TimeSpan age, CancellationToken cancellationToken);
}
