namespace OpenClaw.Grains.Gateway;

/// <summary>
/// The UserGrain's <c>sessions</c> state. Format 2 is a small index: how many slots of each kind
/// of record exist (sessions, pending runs); it is written only when one of those numbers grows. Format 1 held every session with its whole transcript inline
/// (<see cref="Sessions"/>); such a record is read once and migrated.
/// </summary>
public sealed class UserSessionsState
{
    public const int CurrentFormat = 2;

    public int Format { get; set; }

    /// <summary>Format 1 only: sessions by canonical key, each with its transcript.</summary>
    public Dictionary<string, SessionRecord>? Sessions { get; set; }

    /// <summary>Session slots in use or used before (<c>session/0</c> … <c>session/n-1</c>).</summary>
    public int SessionSlots { get; set; }

    /// <summary>Pending-run slots (<c>run/0</c> … <c>run/n-1</c>).</summary>
    public int RunSlots { get; set; }
}
