namespace OpenClaw.Runtime.Diagnostics;

/// <summary>
/// The silo's grain-call figures for in-process readers (the cluster stats, the dashboard, the
/// monitor): totals since start and a one-minute latency window. Fed by the same hooks as the
/// <see cref="RuntimeInstruments"/> meter, so the two always agree. Lock-free.
/// </summary>
public sealed class GrainCallStatistics
{
    private long _calls;
    private long _failures;
    private long _timeouts;
    private long _activationsCreated;
    private long _activationsCollected;
    private long _activationsEvicted;
    private long _activationsDeactivated;

    public GrainCallStatistics()
        : this(TimeProvider.System)
    {
    }

    /// <param name="windowClock">Which second it is for the latency window (tests move it).</param>
    internal GrainCallStatistics(TimeProvider windowClock)
    {
        Latency = new SlidingLatencyWindow(windowClock);
    }

    /// <summary>Latency of calls that ended in the last minute.</summary>
    public SlidingLatencyWindow Latency { get; }

    internal void CallEnded(long elapsedTicks, bool failed)
    {
        Interlocked.Increment(ref _calls);
        if (failed) Interlocked.Increment(ref _failures);
        Latency.Record(elapsedTicks);
    }

    internal void CallTimedOut() => Interlocked.Increment(ref _timeouts);

    internal void ActivationCreated() => Interlocked.Increment(ref _activationsCreated);

    internal void ActivationDeactivated(DeactivationReasonCode reason)
    {
        Interlocked.Increment(ref _activationsDeactivated);
        if (reason == DeactivationReasonCode.ActivationIdle) Interlocked.Increment(ref _activationsCollected);
        else if (reason == DeactivationReasonCode.CapacityEviction) Interlocked.Increment(ref _activationsEvicted);
    }

    public GrainCallStatisticsSnapshot Snapshot()
    {
        var latency = Latency.Summarize();
        return new GrainCallStatisticsSnapshot
        {
            CallsTotal = Volatile.Read(ref _calls),
            CallFailuresTotal = Volatile.Read(ref _failures),
            CallTimeoutsTotal = Volatile.Read(ref _timeouts),
            RecentCalls = latency.Count,
            CallLatencyP50Ms = latency.P50Ms,
            CallLatencyP95Ms = latency.P95Ms,
            CallLatencyP99Ms = latency.P99Ms,
            ActivationsCreatedTotal = Volatile.Read(ref _activationsCreated),
            ActivationsCollectedTotal = Volatile.Read(ref _activationsCollected),
            ActivationsEvictedTotal = Volatile.Read(ref _activationsEvicted),
            ActivationsDeactivatedTotal = Volatile.Read(ref _activationsDeactivated),
        };
    }
}

/// <summary>
/// A copy of <see cref="GrainCallStatistics"/>. Calls count when their turn ends on this silo
/// (the callee side); timeouts count calls this silo expired while they waited or ran.
/// </summary>
public sealed record GrainCallStatisticsSnapshot
{
    public long CallsTotal { get; init; }
    public long CallFailuresTotal { get; init; }
    public long CallTimeoutsTotal { get; init; }

    /// <summary>Calls in the latency window (about the last minute).</summary>
    public long RecentCalls { get; init; }
    public double CallLatencyP50Ms { get; init; }
    public double CallLatencyP95Ms { get; init; }
    public double CallLatencyP99Ms { get; init; }
    public long ActivationsCreatedTotal { get; init; }

    /// <summary>Deactivated because idle longer than their collection age.</summary>
    public long ActivationsCollectedTotal { get; init; }

    /// <summary>Deactivated to bring the silo back under its activation cap.</summary>
    public long ActivationsEvictedTotal { get; init; }

    /// <summary>Every deactivation, whatever the reason.</summary>
    public long ActivationsDeactivatedTotal { get; init; }
}
