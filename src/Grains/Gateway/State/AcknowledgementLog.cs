namespace OpenClaw.Grains.Gateway;

/// <summary>
/// The first answers to <c>chat.send</c> and <c>agent</c> by idempotency key, kept in a ring of
/// segment records (<see cref="EntriesPerSegment"/> entries each) sized for the configured number
/// of entries plus one: a new answer rewrites only the newest segment, and the ring overwrites the
/// oldest one when it moves on. Entries expire with the idempotency window.
/// </summary>
internal sealed class AcknowledgementLog(int maxEntries)
{
    public const int EntriesPerSegment = 32;

    private readonly int _ringSize = (maxEntries + EntriesPerSegment - 1) / EntriesPerSegment + 1;
    private readonly List<Segment?> _segments = [];
    private Segment? _newest;

    /// <summary>Segment slots in use (the index records it).</summary>
    public int SlotCount => _segments.Count;

    public void Load(int slot, AcknowledgementSegmentRecord? record)
    {
        while (_segments.Count <= slot)
        {
            _segments.Add(null);
        }

        if (record is null)
        {
            return;
        }

        var segment = new Segment(slot, record);
        _segments[slot] = segment;
        if (_newest is null || record.Sequence > _newest.Record.Sequence)
        {
            _newest = segment;
        }
    }

    public void Add(AcknowledgementRecord entry)
    {
        if (_newest is null || _newest.Record.Entries.Count >= EntriesPerSegment)
        {
            var slot = _newest is null ? 0 : (_newest.Slot + 1) % _ringSize;
            var next = new Segment(slot, new AcknowledgementSegmentRecord { Sequence = (_newest?.Record.Sequence ?? 0) + 1 });
            while (_segments.Count <= slot)
            {
                _segments.Add(null);
            }

            _segments[slot] = next;
            _newest = next;
        }

        _newest.Record.Entries.Add(entry);
        _newest.Mark.Touch();
    }

    /// <summary>Entries not expired at <paramref name="nowMs"/>, oldest first.</summary>
    public IEnumerable<AcknowledgementRecord> Live(long nowMs) =>
        _segments.OfType<Segment>()
            .OrderBy(segment => segment.Record.Sequence)
            .SelectMany(segment => segment.Record.Entries)
            .Where(entry => entry.ExpiresAt > nowMs);

    public IEnumerable<Segment> Dirty => _segments.OfType<Segment>().Where(segment => segment.Mark.IsDirty);

    internal sealed class Segment(int slot, AcknowledgementSegmentRecord record)
    {
        public int Slot { get; } = slot;

        public AcknowledgementSegmentRecord Record { get; } = record;

        public ChangeMark Mark { get; } = new();
    }
}
