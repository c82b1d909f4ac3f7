namespace OpenClaw.Runtime;

/// <summary>A reminder table in memory (tests, or a silo that needs no durability). Shareable by in-process silos.</summary>
public sealed class InMemoryReminderTable : IReminderTable
{
    private readonly object _gate = new();
    private readonly Dictionary<(GrainId, string), (ReminderEntry Entry, DateTimeOffset? Delivered)> _rows = [];
    private long _etag;

    /// <summary>When set, every operation throws it (to test an unreachable table).</summary>
    public Exception? FailWith { get; set; }

    public int Count
    {
        get { lock (_gate) return _rows.Count; }
    }

    public Task InitializeAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<ReminderRow?> ReadAsync(GrainId grainId, string name, CancellationToken cancellationToken)
    {
        ThrowIfFailing();
        lock (_gate) return Task.FromResult(_rows.TryGetValue((grainId, name), out var row) ? new ReminderRow(row.Entry, row.Delivered) : null);
    }

    public Task<IReadOnlyList<ReminderRow>> ReadGrainAsync(GrainId grainId, CancellationToken cancellationToken)
    {
        ThrowIfFailing();
        lock (_gate)
            return Task.FromResult<IReadOnlyList<ReminderRow>>(_rows.Values.Where(r => r.Entry.GrainId == grainId).Select(r => new ReminderRow(r.Entry, r.Delivered)).ToList());
    }

    public Task<IReadOnlyList<ReminderRow>> ReadRangeAsync(ReminderHashRange range, CancellationToken cancellationToken)
    {
        ThrowIfFailing();
        lock (_gate)
            return Task.FromResult<IReadOnlyList<ReminderRow>>(_rows.Values
                .Where(r => range.Contains(ReminderHash.Of(r.Entry.GrainId)))
                .Select(r => new ReminderRow(r.Entry, r.Delivered)).ToList());
    }

    public Task<ReminderUpsertResult> UpsertAsync(ReminderEntry entry, string? expectedETag, int maxPerGrain, CancellationToken cancellationToken)
    {
        ThrowIfFailing();
        lock (_gate)
        {
            var key = (entry.GrainId, entry.Name);
            var exists = _rows.TryGetValue(key, out var current);
            if (expectedETag is not null && (!exists || current.Entry.ETag != expectedETag)) return Task.FromResult(ReminderUpsertResult.Mismatch);
            if (!exists && _rows.Keys.Count(k => k.Item1 == entry.GrainId) >= maxPerGrain) return Task.FromResult(ReminderUpsertResult.LimitReached);
            var etag = (++_etag).ToString(System.Globalization.CultureInfo.InvariantCulture);
            _rows[key] = (entry with { ETag = etag }, null);
            return Task.FromResult(ReminderUpsertResult.Written(etag));
        }
    }

    public Task<bool> RemoveAsync(GrainId grainId, string name, string? expectedETag, CancellationToken cancellationToken)
    {
        ThrowIfFailing();
        lock (_gate)
        {
            var key = (grainId, name);
            if (!_rows.TryGetValue(key, out var current) || (expectedETag is not null && current.Entry.ETag != expectedETag)) return Task.FromResult(false);
            return Task.FromResult(_rows.Remove(key));
        }
    }

    public Task RecordDeliveredAsync(IReadOnlyList<DeliveredTick> ticks, CancellationToken cancellationToken)
    {
        ThrowIfFailing();
        lock (_gate)
        {
            foreach (var tick in ticks)
            {
                var key = (tick.GrainId, tick.Name);
                if (_rows.TryGetValue(key, out var current) && current.Entry.ETag == tick.ETag && (current.Delivered is null || current.Delivered < tick.Tick))
                    _rows[key] = (current.Entry, tick.Tick);
            }
        }
        return Task.CompletedTask;
    }

    private void ThrowIfFailing()
    {
        if (FailWith is { } failure) throw failure;
    }
}
