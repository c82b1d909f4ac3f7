namespace OpenClaw.Runtime;

/// <summary>
/// Where reminders are stored: the truth every silo's reminder service reads its share from.
/// Rows are keyed by grain and reminder name and carry the grain's <see cref="ReminderHash"/> so a
/// silo can read the hash ranges it owns. Every write of a schedule gives the row a new ETag;
/// writes that name an expected ETag fail (return no new ETag) when the row has moved on.
/// </summary>
public interface IReminderTable
{
    /// <summary>Creates or migrates the storage; called once by the reminder service before first use (idempotent).</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    Task<ReminderRow?> ReadAsync(GrainId grainId, string name, CancellationToken cancellationToken);

    Task<IReadOnlyList<ReminderRow>> ReadGrainAsync(GrainId grainId, CancellationToken cancellationToken);

    /// <summary>Every row whose grain hash lies in <paramref name="range"/> (both ends inclusive).</summary>
    Task<IReadOnlyList<ReminderRow>> ReadRangeAsync(ReminderHashRange range, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the schedule of <paramref name="entry"/> (its ETag is ignored) and forgets the ticks
    /// delivered for the previous schedule. With <paramref name="expectedETag"/>, only when the
    /// stored row has that ETag. A new row is refused when its grain already has
    /// <paramref name="maxPerGrain"/> reminders (checked atomically with the insert).
    /// </summary>
    Task<ReminderUpsertResult> UpsertAsync(ReminderEntry entry, string? expectedETag, int maxPerGrain, CancellationToken cancellationToken);

    /// <summary>Removes the row (only when it has <paramref name="expectedETag"/>, if given); returns whether a row was removed.</summary>
    Task<bool> RemoveAsync(GrainId grainId, string name, string? expectedETag, CancellationToken cancellationToken);

    /// <summary>
    /// Records, in one batch, the last tick delivered of each reminder, so a restarted or new owner
    /// neither fires it again nor forgets a tick missed meanwhile. A tick for a row whose ETag
    /// changed since (re-registered or removed) is ignored.
    /// </summary>
    Task RecordDeliveredAsync(IReadOnlyList<DeliveredTick> ticks, CancellationToken cancellationToken);
}

/// <summary>A stored reminder plus the due time of its last delivered tick (null when none was delivered yet).</summary>
public sealed record ReminderRow(ReminderEntry Entry, DateTimeOffset? LastDeliveredTick);

/// <summary>The outcome of <see cref="IReminderTable.UpsertAsync"/>.</summary>
public enum ReminderUpsertStatus
{
    Written,
    ETagMismatch,
    GrainLimitReached,
}

/// <summary>The status and, when written, the row's new ETag.</summary>
public readonly record struct ReminderUpsertResult(ReminderUpsertStatus Status, string? ETag)
{
    public static ReminderUpsertResult Written(string etag) => new(ReminderUpsertStatus.Written, etag);

    public static ReminderUpsertResult Mismatch => new(ReminderUpsertStatus.ETagMismatch, null);

    public static ReminderUpsertResult LimitReached => new(ReminderUpsertStatus.GrainLimitReached, null);
}

/// <summary>The tick due at <paramref name="Tick"/> of the schedule with <paramref name="ETag"/> was delivered.</summary>
public readonly record struct DeliveredTick(GrainId GrainId, string Name, string ETag, DateTimeOffset Tick);

/// <summary>An inclusive range of grain hashes, <see cref="Start"/> &lt;= <see cref="End"/> (never wrapping).</summary>
public readonly record struct ReminderHashRange
{
    public static readonly ReminderHashRange All = new(0, uint.MaxValue);

    public ReminderHashRange(uint start, uint end)
    {
        if (start > end) throw new ArgumentException($"A hash range must not wrap: {start} > {end}.", nameof(start));
        Start = start;
        End = end;
    }

    public uint Start { get; }

    public uint End { get; }

    public bool Contains(uint hash) => hash >= Start && hash <= End;

    public override string ToString() => $"[{Start:x8}..{End:x8}]";
}
