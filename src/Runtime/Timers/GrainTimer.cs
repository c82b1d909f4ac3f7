namespace OpenClaw.Runtime;

/// <summary>
/// A timer owned by an activation. Each tick is queued to the activation as a turn; the next
/// tick is armed only when that turn has finished, so ticks never overlap themselves.
/// </summary>
internal sealed class GrainTimer : IGrainTimer
{
    private readonly ActivationData _activation;
    private readonly Func<CancellationToken, Task> _callback;
    private readonly CancellationTokenSource _cancellation = new();
    private readonly object _lock = new();
    private ITimer? _timer;
    private TimeSpan _dueTime;
    private TimeSpan _period;
    private bool _stopped;

    public GrainTimer(ActivationData activation, Func<CancellationToken, Task> callback, GrainTimerOptions options)
    {
        if (options.DueTime < TimeSpan.Zero && options.DueTime != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(options), "DueTime must be non-negative or infinite.");
        if (options.Period <= TimeSpan.Zero && options.Period != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(options), "Period must be positive or infinite.");
        _activation = activation;
        _callback = callback;
        _dueTime = options.DueTime;
        _period = options.Period;
        KeepAlive = options.KeepAlive;
        Interleave = options.Interleave;
    }

    public bool KeepAlive { get; }
    public bool Interleave { get; }

    internal void Start()
    {
        lock (_lock) _timer = _activation.TimeProvider.CreateTimer(static s => ((GrainTimer)s!).OnDue(), this, _dueTime, Timeout.InfiniteTimeSpan);
    }

    public void Change(TimeSpan dueTime, TimeSpan period)
    {
        lock (_lock)
        {
            if (_stopped) throw new ObjectDisposedException(nameof(GrainTimer));
            _dueTime = dueTime;
            _period = period;
            _timer?.Change(dueTime, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnDue()
    {
        lock (_lock) if (_stopped) return;
        _activation.TryEnqueue(new TimerTick(this, _activation.GrainId));
    }

    internal Task RunTick() => _callback(_cancellation.Token);

    internal void TickCompleted(Task tick)
    {
        if (tick.IsFaulted) RuntimeLog.TimerTickFailed(_activation.Logger, _activation.GrainId, tick.Exception!.GetBaseException());
        lock (_lock)
        {
            if (_stopped || _period == Timeout.InfiniteTimeSpan) return;
            _timer?.Change(_period, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>No further ticks (the activation is deactivating); a running tick may finish.</summary>
    internal void Stop()
    {
        lock (_lock)
        {
            if (_stopped) return;
            _stopped = true;
            _timer?.Dispose();
        }
        _cancellation.Cancel();
    }

    public void Dispose()
    {
        Stop();
        _activation.RemoveTimer(this);
    }
}

/// <summary>A timer tick queued to its activation.</summary>
internal sealed class TimerTick(GrainTimer timer, GrainId target) : GrainMessage(target, timer.Interleave, 0)
{
    private int _completed;

    public override bool CountsAsActivity => timer.KeepAlive;

    public override bool IsCompleted => Volatile.Read(ref _completed) != 0;

    public override Task Invoke(object target) => timer.RunTick();

    public override void Complete(Task turn)
    {
        Volatile.Write(ref _completed, 1);
        timer.TickCompleted(turn);
    }

    public override void Fail(Exception exception) => Volatile.Write(ref _completed, 1);

    public override string Describe() => "timer tick";
}
