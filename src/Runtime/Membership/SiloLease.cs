namespace OpenClaw.Runtime;

/// <summary>
/// Whether this silo may serve: true while its membership lease is fresh. The runtime checks it
/// before every turn and every state write, so a silo that was frozen or cut off from the
/// membership table (and may have been declared dead and replaced) does nothing until it has
/// renewed the lease, and never again once it learned it was declared dead.
/// </summary>
public interface ISiloLease
{
    bool IsValid { get; }
}

/// <summary>A single silo without a cluster: always valid.</summary>
internal sealed class UnlimitedSiloLease : ISiloLease
{
    public static readonly UnlimitedSiloLease Instance = new();

    public bool IsValid => true;
}

/// <summary>
/// The lease a silo holds through its heartbeats. It counts from when a successful heartbeat was
/// <em>started</em> (the table's timestamp is at least that late), on the monotonic clock, which
/// keeps running while the process is stopped: after a freeze longer than the lease, the silo is
/// fenced as soon as it runs again.
/// </summary>
internal sealed class MembershipLease(TimeProvider time, TimeSpan duration) : ISiloLease
{
    private long _renewedAt = long.MinValue;
    private volatile bool _revoked;

    public bool IsValid
    {
        get
        {
            if (_revoked) return false;
            var renewedAt = Volatile.Read(ref _renewedAt);
            return renewedAt != long.MinValue && time.GetElapsedTime(renewedAt) < duration;
        }
    }

    /// <summary>A heartbeat that started at <paramref name="startedAt"/> (a <see cref="TimeProvider.GetTimestamp"/>) succeeded.</summary>
    public void Renew(long startedAt)
    {
        if (_revoked) return;
        long current;
        do
        {
            current = Volatile.Read(ref _renewedAt);
            if (current != long.MinValue && current >= startedAt) return;
        }
        while (Interlocked.CompareExchange(ref _renewedAt, startedAt, current) != current);
    }

    /// <summary>For good: the silo was declared dead or left.</summary>
    public void Revoke() => _revoked = true;
}
