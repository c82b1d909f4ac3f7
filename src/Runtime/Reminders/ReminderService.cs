using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OpenClaw.Runtime;

/// <summary>
/// The reminders of one silo: loads the ones it owns from the table, keeps them in a
/// <see cref="ReminderSchedule"/> with a single timer armed for the earliest due time, delivers
/// each tick by calling <see cref="IRemindable.ReceiveReminder"/> through an ordinary grain
/// reference (activating the grain wherever it lives), retries failed deliveries with backoff
/// until the next regular tick, records delivered ticks in the table in batches, and rereads its
/// share of the table periodically and whenever ownership changes.
/// </summary>
internal sealed class ReminderService : ISiloLifecycleParticipant
{
    private readonly IReminderTable _table;
    private readonly IReminderOwnership _ownership;
    private readonly IGrainCallRouter _router;
    private readonly ReminderOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly GrainReferenceFactory _references;

    private readonly object _gate = new();
    private readonly ReminderSchedule _schedule = new();

    /// <summary>Per key, the stamp of the table read last applied to it: an older read never overwrites a newer one.</summary>
    private readonly Dictionary<(GrainId, string), long> _applied = [];
    private readonly Dictionary<(GrainId, string), DeliveredTick> _delivered = [];
    private readonly SemaphoreSlim _refreshGate = new(1, 1);
    private readonly AsyncSignal _refreshRequested = new();
    private readonly AsyncSignal _flushRequested = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _stamp;
    private long _previousRefreshStamp;
    private ITimer? _timer;
    private long _armedFor = long.MaxValue;
    private int _inFlight;
    private bool _pumpQueued;
    private bool _started;
    private bool _stopping;
    private CancellationTokenSource? _stop;
    private Task _loops = Task.CompletedTask;
    private int _refreshFailures;

    public ReminderService(IReminderTable table, IReminderOwnership ownership, IGrainCallRouter router, IOptions<ReminderOptions> options,
        TimeProvider time, ILogger<ReminderService> logger)
    {
        _table = table;
        _ownership = ownership;
        _router = router;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _references = GrainCodeRegistry.Instance.GetReferenceFactory(typeof(IRemindable));
    }

    public SiloLifecycleStage Stage => SiloLifecycleStage.Serving;

    /// <summary>Reminders this silo currently schedules.</summary>
    public int Count
    {
        get { lock (_gate) return _schedule.Count; }
    }

    /// <summary>Deliveries running now.</summary>
    public int InFlight
    {
        get { lock (_gate) return _inFlight; }
    }

    /// <summary>When the next reminder is due here (null: none), for tests and operators.</summary>
    public DateTimeOffset? NextDue
    {
        get
        {
            lock (_gate) return _schedule.EarliestDue() is { } ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;
        }
    }

    public bool IsScheduled(GrainId grainId, string name)
    {
        lock (_gate) return _schedule.Find(grainId, name) is not null;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _table.InitializeAsync(cancellationToken).ConfigureAwait(false);
        _timer = _time.CreateTimer(static state => ((ReminderService)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _ownership.Changed += OnOwnershipChanged;
        lock (_gate) _started = true;
        await RefreshAsync(cancellationToken).ConfigureAwait(false);
        _stop = new CancellationTokenSource();
        var token = _stop.Token;
        _loops = Task.WhenAll(
            Task.Run(() => RefreshLoopAsync(token), CancellationToken.None),
            Task.Run(() => FlushLoopAsync(token), CancellationToken.None));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        bool idle;
        lock (_gate)
        {
            _stopping = true;
            idle = _inFlight == 0;
        }
        _ownership.Changed -= OnOwnershipChanged;
        if (_timer is not null) await _timer.DisposeAsync().ConfigureAwait(false);
        if (_stop is not null) await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loops.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        if (!idle)
        {
            try
            {
                await _drained.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
        await FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Rereads one reminder from the table and schedules, reschedules or drops it here.</summary>
    public async Task ApplyFromTableAsync(GrainId grainId, string name, CancellationToken cancellationToken)
    {
        long stamp;
        lock (_gate) stamp = ++_stamp;
        var row = await _table.ReadAsync(grainId, name, cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var hash = ReminderHash.Of(grainId);
        lock (_gate)
        {
            var key = (grainId, name);
            if (_applied.TryGetValue(key, out var last) && last > stamp) return;
            _applied[key] = stamp;
            if (row is null || !_ownership.Owns(hash)) _schedule.Remove(grainId, name);
            else Schedule(row, hash, now);
            ArmTimer(now.UtcTicks);
        }
    }

    /// <summary>Rereads every hash range this silo owns and makes the schedule match it.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _refreshGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var started = Stopwatch.GetTimestamp();
            long stamp;
            IReadOnlyList<ReminderHashRange> ranges;
            lock (_gate)
            {
                stamp = ++_stamp;
                ranges = _ownership.OwnedRanges;
            }
            var rows = new List<ReminderRow>();
            foreach (var range in ranges) rows.AddRange(await _table.ReadRangeAsync(range, cancellationToken).ConfigureAwait(false));
            var now = _time.GetUtcNow();
            int count;
            lock (_gate)
            {
                var seen = new HashSet<(GrainId, string)>(rows.Count);
                foreach (var row in rows)
                {
                    var hash = ReminderHash.Of(row.Entry.GrainId);
                    if (!_ownership.Owns(hash)) continue;
                    var key = (row.Entry.GrainId, row.Entry.Name);
                    seen.Add(key);
                    if (_applied.TryGetValue(key, out var last) && last > stamp) continue;
                    Schedule(row, hash, now);
                }
                var gone = _schedule.All
                    .Select(r => (r.Entry.GrainId, r.Entry.Name))
                    .Where(key => !seen.Contains(key) && !(_applied.TryGetValue(key, out var last) && last > stamp))
                    .ToList();
                foreach (var (grainId, name) in gone) _schedule.Remove(grainId, name);
                // A read older than the previous refresh cannot still be on its way: forget its stamps.
                foreach (var key in _applied.Where(p => p.Value < _previousRefreshStamp).Select(p => p.Key).ToList()) _applied.Remove(key);
                _previousRefreshStamp = stamp;
                count = _schedule.Count;
                ArmTimer(now.UtcTicks);
            }
            ReminderLog.Loaded(_logger, count, ranges.Count, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        finally
        {
            _refreshGate.Release();
        }
    }

    /// <summary>Keeps the scheduled copy when it is the same schedule (same ETag), else schedules the row afresh.</summary>
    private void Schedule(ReminderRow row, uint hash, DateTimeOffset now)
    {
        var existing = _schedule.Find(row.Entry.GrainId, row.Entry.Name);
        if (existing is not null && existing.Entry.ETag == row.Entry.ETag) return;
        _schedule.Set(new ScheduledReminder(row.Entry, hash, ReminderTicks.FirstToDeliver(row, now)));
    }

    private void OnOwnershipChanged()
    {
        ReminderLog.OwnershipChanged(_logger);
        _refreshRequested.Set();
    }

    private void QueuedPump()
    {
        lock (_gate) _pumpQueued = false;
        Pump();
    }

    private void OnTimer()
    {
        lock (_gate) _armedFor = long.MaxValue;
        Pump();
    }

    /// <summary>Starts the deliveries that are due, as many as the concurrency bound allows, and rearms the timer.</summary>
    private void Pump()
    {
        List<ScheduledReminder>? due = null;
        lock (_gate)
        {
            if (!_started || _stopping) return;
            var now = _time.GetUtcNow().UtcTicks;
            while (_inFlight < _options.MaxConcurrentDeliveries && _schedule.TryTakeDue(now, out var reminder))
            {
                if (!_ownership.Owns(reminder.Hash))
                {
                    _schedule.Remove(reminder.Entry.GrainId, reminder.Entry.Name);
                    continue;
                }
                reminder.InFlight = true;
                _inFlight++;
                (due ??= []).Add(reminder);
            }
            ArmTimer(now);
        }
        if (due is null) return;
        foreach (var reminder in due) _ = Task.Run(() => DeliverAsync(reminder));
    }

    /// <summary>Arms the one timer for the earliest due time (under the lock). At the concurrency bound, completions pump instead.</summary>
    private void ArmTimer(long nowUtcTicks)
    {
        if (_timer is null || _stopping) return;
        var earliest = _schedule.EarliestDue();
        if (earliest <= nowUtcTicks && _inFlight < _options.MaxConcurrentDeliveries)
        {
            // Due already (registered with no due time, or overdue at load): no timer, a pump right away.
            if (!_pumpQueued)
            {
                _pumpQueued = true;
                ThreadPool.UnsafeQueueUserWorkItem(static service => service.QueuedPump(), this, preferLocal: false);
            }
            return;
        }
        if (earliest is null || earliest <= nowUtcTicks)
        {
            if (_armedFor != long.MaxValue) _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _armedFor = long.MaxValue;
            return;
        }
        if (earliest == _armedFor) return;
        _armedFor = earliest.Value;
        // Long waits are cut into days: timers take at most ~49 days, and a day is nothing for an idle timer.
        var wait = TimeSpan.FromTicks(Math.Clamp(earliest.Value - nowUtcTicks, 0, TimeSpan.TicksPerDay));
        _timer.Change(wait, Timeout.InfiniteTimeSpan);
    }

    private async Task DeliverAsync(ScheduledReminder reminder)
    {
        var entry = reminder.Entry;
        var tick = reminder.Tick;
        Exception? failure = null;
        try
        {
            var target = (IRemindable)_references(entry.GrainId, _router);
            await target.ReceiveReminder(entry.Name, new TickStatus(entry.StartAt, entry.Period, tick)).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            failure = ex;
        }

        lock (_gate)
        {
            _inFlight--;
            reminder.InFlight = false;
            var now = _time.GetUtcNow();
            if (failure is null)
            {
                _delivered[(entry.GrainId, entry.Name)] = new DeliveredTick(entry.GrainId, entry.Name, entry.ETag, tick);
                _flushRequested.Set();
                ReminderLog.Delivered(_logger, entry.Name, entry.GrainId, tick);
            }
            if (!reminder.Removed && !_stopping)
            {
                var next = ReminderTicks.NextAfter(entry.StartAt, entry.Period, tick > now ? tick : now);
                if (failure is null)
                {
                    reminder.Attempts = 0;
                    reminder.Tick = next;
                    _schedule.Enqueue(reminder, next.UtcTicks);
                }
                else
                {
                    reminder.Attempts++;
                    var retryAt = now + Backoff(reminder.Attempts);
                    if (retryAt < next)
                    {
                        ReminderLog.DeliveryFailed(_logger, entry.Name, entry.GrainId, tick, reminder.Attempts, retryAt, failure);
                        _schedule.Enqueue(reminder, retryAt.UtcTicks);
                    }
                    else
                    {
                        ReminderLog.TickAbandoned(_logger, entry.Name, entry.GrainId, tick, reminder.Attempts, next);
                        reminder.Attempts = 0;
                        reminder.Tick = next;
                        _schedule.Enqueue(reminder, next.UtcTicks);
                    }
                }
            }
            if (_stopping && _inFlight == 0) _drained.TrySetResult();
        }
        Pump();
    }

    private TimeSpan Backoff(int attempt)
    {
        var ticks = _options.RetryInitialDelay.Ticks * Math.Pow(2, Math.Min(attempt - 1, 30));
        return TimeSpan.FromTicks((long)Math.Min(ticks, _options.RetryMaxDelay.Ticks));
    }

    private async Task RefreshLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var wait = _refreshFailures == 0 ? _options.RefreshInterval
                : TimeSpan.FromTicks(Math.Min(_options.RefreshInterval.Ticks, Backoff(_refreshFailures).Ticks));
            using (var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                try
                {
                    await Task.WhenAny(Task.Delay(wait, _time, waiting.Token), _refreshRequested.WaitAsync(waiting.Token)).ConfigureAwait(false);
                }
                finally
                {
                    await waiting.CancelAsync().ConfigureAwait(false);
                }
            }
            if (cancellationToken.IsCancellationRequested) return;
            _refreshRequested.Reset();
            try
            {
                await RefreshAsync(cancellationToken).ConfigureAwait(false);
                _refreshFailures = 0;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                _refreshFailures++;
                ReminderLog.RefreshFailed(_logger, ex.Message, ex);
            }
        }
    }

    private async Task FlushLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await _flushRequested.WaitAsync(cancellationToken).ConfigureAwait(false);
            await Task.Delay(_options.DeliveredFlushInterval, _time, cancellationToken).ConfigureAwait(false);
            _flushRequested.Reset();
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes the delivered ticks gathered so far; on failure they stay for the next batch (newer ticks win).</summary>
    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        List<DeliveredTick> batch;
        lock (_gate)
        {
            if (_delivered.Count == 0) return;
            batch = [.. _delivered.Values];
            _delivered.Clear();
        }
        try
        {
            await _table.RecordDeliveredAsync(batch, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            ReminderLog.RecordDeliveredFailed(_logger, batch.Count, ex.Message);
            lock (_gate)
            {
                foreach (var tick in batch) _delivered.TryAdd((tick.GrainId, tick.Name), tick);
            }
        }
    }
}
