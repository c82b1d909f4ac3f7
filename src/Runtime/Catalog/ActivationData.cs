using System.Diagnostics;
using Microsoft.Extensions.Logging;
using OpenClaw.Runtime.Diagnostics;

namespace OpenClaw.Runtime;

/// <summary>
/// One live activation of a grain: its instance, its message queues and its lifecycle
/// (activating → valid → deactivating → invalid). Work runs on the thread pool one item at a
/// time under <see cref="ActivationSynchronizationContext"/>, so grain code is single-threaded.
/// A normal call is a turn that lasts until its task completes; no other normal call starts
/// before it ends (non-reentrant). Interleaving calls may start while a turn is awaiting.
/// </summary>
internal sealed class ActivationData : IGrainContext, IThreadPoolWorkItem
{
    private enum Status { Created, Activating, Valid, Deactivating, Invalid }

    private const int BatchSize = 64;

    private readonly object _lock = new();
    private readonly Queue<GrainMessage> _inbox = new();
    private readonly Queue<GrainMessage> _interleavedInbox = new();
    private readonly Queue<(SendOrPostCallback Callback, object? State)> _ready = new();
    private readonly List<GrainMessage> _runningInterleaved = [];
    private readonly ActivationSynchronizationContext _syncContext;
    private readonly Catalog _catalog;
    private readonly TaskCompletionSource _deactivated = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Status _status;
    private bool _scheduled;
    private int _interleavableInInbox;
    private GrainMessage? _running;
    private bool _systemTurnRunning;
    private bool _deactivationStarted;
    private DeactivationReason _deactivationReason;
    private DeactivationReason? _deactivateAfterActivation;
    private bool _deactivateOnIdle;
    private Grain? _grain;
    private long _lastActivity;
    private long _keepAliveUntil;
    private bool _keepAlive;
    private List<Func<bool>>? _activityProbes;
    private List<GrainTimer>? _timers;
    private GrainAddress? _registered;

    public ActivationData(GrainId grainId, GrainClassInfo classInfo, Catalog catalog)
    {
        GrainId = grainId;
        ClassInfo = classInfo;
        _catalog = catalog;
        _syncContext = new ActivationSynchronizationContext(this);
        _lastActivity = catalog.TimeProvider.GetTimestamp();
        TypeMetrics = catalog.Instruments.ForType(grainId.Type);
    }

    /// <summary>This grain type's figures (activation count, the metric tag).</summary>
    internal GrainTypeMetrics TypeMetrics { get; }

    public GrainId GrainId { get; }

    /// <summary>Tells this activation apart from earlier and later ones of the same grain (in the grain directory).</summary>
    public string ActivationId { get; } = Guid.NewGuid().ToString("N");

    public GrainClassInfo ClassInfo { get; }

    internal ISiloLease Lease => _catalog.Lease;
    public IGrainFactory GrainFactory => _catalog.GrainFactory;
    public IServiceProvider Services => _catalog.Services;
    public TimeProvider TimeProvider => _catalog.TimeProvider;

    /// <summary>Completes when the activation is gone (deactivated or failed to activate).</summary>
    public Task Deactivated => _deactivated.Task;

    public long LastActivityTimestamp => Volatile.Read(ref _lastActivity);

    public bool IsValid { get { lock (_lock) return _status == Status.Valid; } }

    internal Grain? GrainInstance => _grain;

    // ---- incoming work -------------------------------------------------------------------

    /// <summary>Queues a message; false when this activation is gone and the caller must route again.</summary>
    public bool TryEnqueue(GrainMessage message)
    {
        int waiting;
        lock (_lock)
        {
            if (_status == Status.Invalid) return false;
            if (message is TimerTick && _status != Status.Valid) return true; // ticks of a leaving activation are dropped
            if (message.IsCompleted) return true; // its caller gave up (cancelled, timed out) before it arrived
            waiting = _inbox.Count + _interleavedInbox.Count;
            if (waiting < _catalog.Options.MaxPendingCallsPerActivation || (waiting = CompactInboxesLocked()) < _catalog.Options.MaxPendingCallsPerActivation)
            {
                EnqueueLocked(message);
                _catalog.Instruments.QueueLength(waiting + 1);
                return true;
            }
        }
        message.Fail(new ActivationOverloadedException(
            $"{GrainId} has {waiting} calls waiting (at most {_catalog.Options.MaxPendingCallsPerActivation}); this call was not run, retry later."));
        return true;
    }

    /// <summary>Drops queued messages whose caller already has its answer; returns how many still wait.</summary>
    private int CompactInboxesLocked()
    {
        Compact(_interleavedInbox);
        Compact(_inbox);
        _interleavableInInbox = 0;
        foreach (var message in _inbox) if (CanInterleave(message)) _interleavableInInbox++;
        return _inbox.Count + _interleavedInbox.Count;

        static void Compact(Queue<GrainMessage> queue)
        {
            for (var i = queue.Count; i > 0; i--)
            {
                var message = queue.Dequeue();
                if (!message.IsCompleted || message is TimerTick) queue.Enqueue(message);
            }
        }
    }

    private void EnqueueLocked(GrainMessage message)
    {
        if (message.CountsAsActivity) _lastActivity = TimeProvider.GetTimestamp();
        // Interleaving calls may overtake a running turn, but not calls that arrived before them
        // while the activation was still being created.
        if (_status == Status.Valid && CanInterleave(message)) _interleavedInbox.Enqueue(message);
        else
        {
            _inbox.Enqueue(message);
            if (CanInterleave(message)) _interleavableInInbox++;
        }
        if (_status == Status.Created)
        {
            _status = Status.Activating;
            _systemTurnRunning = true;
            _ready.Enqueue((static s => ((ActivationData)s!).StartActivation(), this));
        }
        ScheduleIfRunnableLocked();
    }

    /// <summary>Continuations of grain code (from the synchronization context).</summary>
    public void Post(SendOrPostCallback callback, object? state)
    {
        lock (_lock)
        {
            _ready.Enqueue((callback, state));
            ScheduleLocked();
        }
    }

    private void ScheduleIfRunnableLocked()
    {
        if (_ready.Count > 0 || CanStartMessageLocked() || ShouldStartDeactivationLocked()) ScheduleLocked();
    }

    private void ScheduleLocked()
    {
        if (_scheduled) return;
        _scheduled = true;
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    // ---- the worker ----------------------------------------------------------------------

    void IThreadPoolWorkItem.Execute()
    {
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(_syncContext);
        try
        {
            for (var i = 0; i < BatchSize; i++)
            {
                (SendOrPostCallback Callback, object? State) item = default;
                GrainMessage? message = null;
                var deactivate = false;
                lock (_lock)
                {
                    if (_ready.Count > 0) item = _ready.Dequeue();
                    else if ((message = TakeNextMessageLocked()) is null)
                    {
                        if (ShouldStartDeactivationLocked())
                        {
                            _deactivationStarted = true;
                            _systemTurnRunning = true;
                            deactivate = true;
                        }
                        else
                        {
                            _scheduled = false;
                            return;
                        }
                    }
                }

                if (message is not null) StartTurn(message);
                else if (deactivate) _ = DeactivateAsync();
                else RunCallback(item.Callback!, item.State);
            }

            // Batch used up: yield the thread and continue later so one busy activation cannot starve others.
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
    }

    private void RunCallback(SendOrPostCallback callback, object? state)
    {
        try { callback(state); }
        catch (Exception ex) { RuntimeLog.UnhandledGrainException(_catalog.Logger, GrainId, ex); }
    }

    private bool CanStartMessageLocked()
    {
        if (_status != Status.Valid || _systemTurnRunning) return false;
        if (_interleavedInbox.Count > 0) return true;
        return _inbox.Count > 0 && ((_running is null && _runningInterleaved.Count == 0) || CanInterleave(_inbox.Peek()));
    }

    /// <summary>
    /// Interleavable calls that queued behind the turn that just started (while the activation
    /// was being created) may now run alongside it, in their arrival order.
    /// </summary>
    private void ReleaseInterleavableLocked()
    {
        var remaining = new Queue<GrainMessage>(_inbox.Count);
        while (_inbox.Count > 0)
        {
            var message = _inbox.Dequeue();
            if (CanInterleave(message)) _interleavedInbox.Enqueue(message);
            else remaining.Enqueue(message);
        }
        while (remaining.Count > 0) _inbox.Enqueue(remaining.Dequeue());
        _interleavableInInbox = 0;
    }

    private bool CanInterleave(GrainMessage message) => message.Interleave || ClassInfo.IsReentrant;

    private GrainMessage? TakeNextMessageLocked()
    {
        if (_status != Status.Valid || _systemTurnRunning) return null;
        while (_interleavedInbox.Count > 0)
        {
            var message = _interleavedInbox.Dequeue();
            if (message.IsCompleted) continue;
            _runningInterleaved.Add(message);
            return message;
        }
        while (_inbox.Count > 0)
        {
            var head = _inbox.Peek();
            if (head.IsCompleted)
            {
                _inbox.Dequeue(); // the caller timed out while it waited
                continue;
            }
            if (CanInterleave(head))
            {
                _inbox.Dequeue();
                _interleavableInInbox--;
                _runningInterleaved.Add(head);
                return head;
            }
            if (_running is not null || _runningInterleaved.Count > 0) return null;
            _running = _inbox.Dequeue();
            if (_interleavableInInbox > 0) ReleaseInterleavableLocked();
            return _running;
        }
        return null;
    }

    private void StartTurn(GrainMessage message)
    {
        var filters = _catalog.CallFilters;
        var context = filters.Length > 0 && message.Request is { } request
            ? new IncomingGrainCallContext(filters, message, request, _grain!)
            : null;
        // Calls are timed with the real clock (metrics), whatever TimeProvider the runtime uses; timer ticks are not calls.
        var started = message.Request is null ? 0 : Stopwatch.GetTimestamp();
        // The turn's span is current while the grain method starts (its awaits carry it on); the worker thread gets its own back after.
        var previousActivity = Activity.Current;
        var span = message.Request is { } traced ? RuntimeActivitySource.StartCall(message, traced) : null;
        Task turn;
        if (!_catalog.Lease.IsValid)
            turn = Task.FromException(new SiloUnavailableException(
                "This silo has lost its cluster lease (it could not reach the membership table, or was declared dead); it runs nothing until it renews it."));
        else
        {
            try { turn = context is null ? message.Invoke(_grain!) : context.Invoke(); }
            catch (Exception ex) { turn = Task.FromException(ex); }
        }
        if (span is not null) Activity.Current = previousActivity;

        if (turn.IsCompleted) EndTurn(message, context?.Outcome(turn) ?? turn, started, span);
        else turn.GetAwaiter().UnsafeOnCompleted(() => EndTurn(message, context?.Outcome(turn) ?? turn, started, span)); // posted back to this activation
    }

    private void EndTurn(GrainMessage message, Task turn, long started, Activity? span)
    {
        if (started != 0) _catalog.Instruments.CallEnded(TypeMetrics, Stopwatch.GetTimestamp() - started, !turn.IsCompletedSuccessfully);
        if (span is not null)
        {
            if (!turn.IsCompletedSuccessfully) span.SetStatus(ActivityStatusCode.Error, turn.IsCanceled ? "cancelled" : turn.Exception?.InnerException?.GetType().Name);
            span.Stop();
        }
        lock (_lock)
        {
            if (ReferenceEquals(_running, message)) _running = null;
            else _runningInterleaved.Remove(message);
            if (message.CountsAsActivity) _lastActivity = TimeProvider.GetTimestamp();
            if (_deactivateOnIdle && _status == Status.Valid && _running is null && _runningInterleaved.Count == 0)
            {
                _deactivateOnIdle = false;
                BeginDeactivationLocked(new DeactivationReason(DeactivationReasonCode.ApplicationRequested, "DeactivateOnIdle"));
            }
        }
        message.Complete(turn);
    }

    // ---- activation ----------------------------------------------------------------------

    private void StartActivation() => _ = ActivateAsync();

    private async Task ActivateAsync()
    {
        var timeout = _catalog.Options.ActivationTimeout;
        using var cancellation = new CancellationTokenSource(timeout, TimeProvider);
        try
        {
            // A silo-bound activation is found by its key alone: nothing to register.
            if (_catalog.Cluster is { } cluster && !ClassInfo.IsSiloBound)
            {
                var mine = new GrainAddress(GrainId, cluster.Silo, ActivationId);
                var registered = await cluster.RegisterAsync(mine, cancellation.Token).WaitAsync(timeout, TimeProvider);
                if (registered != mine)
                {
                    LoseRegistration(registered.Silo, cluster);
                    return;
                }
                _registered = mine;
                await cluster.RecordActivationAsync(mine, cancellation.Token).WaitAsync(timeout, TimeProvider);
            }
            var states = new List<IPersistentStateLoader>();
            _grain = _catalog.Activator.Create(this, states);
            foreach (var state in states)
                await state.LoadAsync(cancellation.Token).WaitAsync(timeout, TimeProvider);
            await _grain.OnActivateAsync(cancellation.Token).WaitAsync(timeout, TimeProvider);
        }
        catch (Exception ex)
        {
            FailActivation(ex);
            return;
        }

        lock (_lock)
        {
            _status = Status.Valid;
            _systemTurnRunning = false;
            if (_deactivateAfterActivation is { } reason) BeginDeactivationLocked(reason);
            ScheduleIfRunnableLocked();
        }
        RuntimeLog.Activated(_catalog.Logger, GrainId);
    }

    /// <summary>Another silo registered this grain first: this activation never runs and its calls go to the winner.</summary>
    private void LoseRegistration(SiloAddress winner, ICatalogClusterServices cluster)
    {
        List<GrainMessage> pending;
        lock (_lock)
        {
            _status = Status.Invalid;
            _systemTurnRunning = false;
            pending = DrainInboxesLocked();
            _catalog.Remove(this, DeactivationReasonCode.None);
        }
        RuntimeLog.LostRegistration(_catalog.Logger, GrainId, winner, pending.Count);
        DisposeTimers();
        _deactivated.TrySetResult();
        foreach (var message in pending) cluster.ForwardTo(message, winner);
    }

    private void FailActivation(Exception exception)
    {
        List<GrainMessage> pending;
        lock (_lock)
        {
            _status = Status.Invalid;
            _systemTurnRunning = false;
            pending = DrainInboxesLocked();
            _catalog.Remove(this, DeactivationReasonCode.ActivationFailed);
        }
        // A damaged state record was logged (Error, once) by its storage; each retry is only Debug.
        if (exception is GrainStorageCorruptedException) RuntimeLog.ActivationFailedOnCorruptState(_catalog.Logger, GrainId, exception.Message);
        else RuntimeLog.ActivationFailed(_catalog.Logger, GrainId, exception);
        if (_registered is { } registered) _ = _catalog.Cluster!.UnregisterAsync(registered);
        DisposeTimers();
        var error = new GrainActivationException($"Activation of {GrainId} failed: {exception.Message}", exception);
        foreach (var message in pending) message.Fail(error);
        _deactivated.TrySetResult();
    }

    // ---- deactivation --------------------------------------------------------------------

    /// <summary>Starts deactivation: no new turns, timers stop, running turns finish, then OnDeactivateAsync.</summary>
    public Task DeactivateAsync(DeactivationReason reason)
    {
        lock (_lock) BeginDeactivationLocked(reason);
        return Deactivated;
    }

    private void BeginDeactivationLocked(DeactivationReason reason)
    {
        switch (_status)
        {
            case Status.Created or Status.Activating:
                _deactivateAfterActivation ??= reason;
                return;
            case Status.Valid:
                _status = Status.Deactivating;
                _deactivationReason = reason;
                StopTimersLocked();
                ScheduleIfRunnableLocked();
                return;
        }
    }

    private bool ShouldStartDeactivationLocked() =>
        _status == Status.Deactivating && !_deactivationStarted && !_systemTurnRunning && _running is null && _runningInterleaved.Count == 0;

    private async Task DeactivateAsync()
    {
        var reason = _deactivationReason;
        var timeout = _catalog.Options.DeactivationTimeout;
        try
        {
            using var cancellation = new CancellationTokenSource(timeout, TimeProvider);
            if (_grain is not null) await _grain.OnDeactivateAsync(reason, cancellation.Token).WaitAsync(timeout, TimeProvider);
        }
        catch (Exception ex)
        {
            RuntimeLog.DeactivationFailed(_catalog.Logger, GrainId, ex);
        }

        // Only now may another silo register the grain: its state is persisted.
        if (_registered is { } registered) await _catalog.Cluster!.UnregisterAsync(registered);

        List<GrainMessage> forward;
        lock (_lock)
        {
            _status = Status.Invalid;
            _systemTurnRunning = false;
            forward = DrainInboxesLocked();
            _catalog.Remove(this, reason.Code);
        }
        DisposeTimers();
        RuntimeLog.Deactivated(_catalog.Logger, GrainId, reason.Code);
        _deactivated.TrySetResult();
        // Calls that arrived while we were leaving go to the next activation of this grain (here or elsewhere).
        foreach (var message in forward) _catalog.Reroute(message);
    }

    private List<GrainMessage> DrainInboxesLocked()
    {
        var drained = new List<GrainMessage>(_inbox.Count + _interleavedInbox.Count);
        while (_interleavedInbox.Count > 0) AddIfPending(_interleavedInbox.Dequeue());
        while (_inbox.Count > 0) AddIfPending(_inbox.Dequeue());
        _interleavableInInbox = 0;
        return drained;

        void AddIfPending(GrainMessage message)
        {
            if (!message.IsCompleted && message is not TimerTick) drained.Add(message);
        }
    }

    // ---- idle collection -----------------------------------------------------------------

    /// <summary>A cheap first look for the collector (no grain code runs): idle long enough and not pinned?</summary>
    public bool LooksIdle(long now, long minimumIdleTicks)
    {
        lock (_lock) return IsIdleLocked(now, minimumIdleTicks);
    }

    private bool IsIdleLocked(long now, long minimumIdleTicks) =>
        _status == Status.Valid && !_systemTurnRunning && _running is null && _runningInterleaved.Count == 0
        && _inbox.Count == 0 && _interleavedInbox.Count == 0 && !_keepAlive && now >= _keepAliveUntil
        && now - _lastActivity >= minimumIdleTicks;

    /// <summary>
    /// Deactivates when still idle, checked inside the activation (activity probes such as
    /// observer subscriptions are grain state). Completes with true once deactivated.
    /// </summary>
    public Task<bool> TryCollectAsync(DeactivationReason reason, long minimumIdleTicks)
    {
        var request = new CollectionRequest(this, reason, minimumIdleTicks);
        Post(static s => ((CollectionRequest)s!).Run(), request);
        return request.Result.Task;
    }

    private sealed class CollectionRequest(ActivationData activation, DeactivationReason reason, long minimumIdleTicks)
    {
        public TaskCompletionSource<bool> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Run()
        {
            var probes = activation._activityProbes;
            var active = false;
            if (probes is not null) foreach (var probe in probes) active |= probe();
            lock (activation._lock)
            {
                if (active || !activation.IsIdleLocked(activation.TimeProvider.GetTimestamp(), minimumIdleTicks))
                {
                    Result.TrySetResult(false);
                    return;
                }
                activation.BeginDeactivationLocked(reason);
            }
            activation.Deactivated.ContinueWith(static (_, r) => ((TaskCompletionSource<bool>)r!).TrySetResult(true), Result, TaskScheduler.Default);
        }
    }

    // ---- timeouts --------------------------------------------------------------------------

    /// <summary>Fails calls whose caller deadline passed. The turn itself (if running) goes on.</summary>
    public void ExpireCalls(long now)
    {
        // Unlocked pre-check (a stale read only delays the check to the next scan): most
        // activations are idle and must not cost a lock on every scan.
        if (Volatile.Read(ref _running) is null && _inbox.Count == 0 && _interleavedInbox.Count == 0 && _runningInterleaved.Count == 0) return;
        List<GrainMessage>? expired = null;
        lock (_lock)
        {
            foreach (var message in _inbox) Check(message);
            foreach (var message in _interleavedInbox) Check(message);
            foreach (var message in _runningInterleaved) Check(message);
            if (_running is not null) Check(_running);
        }
        if (expired is null) return;
        foreach (var message in expired)
        {
            _catalog.Instruments.CallTimedOut(TypeMetrics);
            message.Fail(new GrainCallTimeoutException(
                $"{message.Describe()} on {GrainId} got no answer within {_catalog.Options.ResponseTimeout.TotalSeconds:0.###} s; its outcome is unknown (the grain may have executed it or may still be executing it)."));
        }

        void Check(GrainMessage message)
        {
            if (message.DeadlineTimestamp != 0 && now > message.DeadlineTimestamp && !message.IsCompleted) (expired ??= []).Add(message);
        }
    }

    // ---- IGrainContext -----------------------------------------------------------------------

    public void DeactivateOnIdle()
    {
        lock (_lock)
        {
            if (_running is null && _runningInterleaved.Count == 0 && _status == Status.Valid)
                BeginDeactivationLocked(new DeactivationReason(DeactivationReasonCode.ApplicationRequested, "DeactivateOnIdle"));
            else _deactivateOnIdle = true;
        }
    }

    public void DelayDeactivation(TimeSpan duration)
    {
        var now = TimeProvider.GetTimestamp();
        var until = duration == TimeSpan.MaxValue || duration.TotalSeconds * TimeProvider.TimestampFrequency >= long.MaxValue - now
            ? long.MaxValue
            : now + (long)(duration.TotalSeconds * TimeProvider.TimestampFrequency);
        lock (_lock) _keepAliveUntil = Math.Max(_keepAliveUntil, until);
    }

    public void SetKeepAlive(bool keepAlive)
    {
        lock (_lock) _keepAlive = keepAlive;
    }

    public void AddActivityProbe(Func<bool> isActive) => (_activityProbes ??= []).Add(isActive);

    public IGrainTimer RegisterTimer(Func<CancellationToken, Task> callback, GrainTimerOptions options)
    {
        ArgumentNullException.ThrowIfNull(callback);
        ArgumentNullException.ThrowIfNull(options);
        lock (_lock)
        {
            if (_status is Status.Deactivating or Status.Invalid)
                throw new InvalidOperationException($"{GrainId} is deactivating; it cannot register timers.");
            var timer = new GrainTimer(this, callback, options);
            (_timers ??= []).Add(timer);
            timer.Start();
            return timer;
        }
    }

    internal void RemoveTimer(GrainTimer timer)
    {
        lock (_lock) _timers?.Remove(timer);
    }

    private void StopTimersLocked()
    {
        if (_timers is null) return;
        foreach (var timer in _timers) timer.Stop();
    }

    private void DisposeTimers()
    {
        GrainTimer[] timers;
        lock (_lock)
        {
            if (_timers is null) return;
            timers = [.. _timers];
            _timers.Clear();
        }
        foreach (var timer in timers) timer.Dispose();
    }

    internal ILogger Logger => _catalog.Logger;

    public override string ToString() => $"Activation {GrainId}";
}
