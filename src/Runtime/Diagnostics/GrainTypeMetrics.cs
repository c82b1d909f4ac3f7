namespace OpenClaw.Runtime.Diagnostics;

/// <summary>
/// The per-grain-type part of the runtime's figures: the <c>grain.type</c> tag (built once, so
/// recording allocates nothing) and the live activation count behind the activations gauge.
/// Grain types are a bounded set (the registered grain classes).
/// </summary>
public sealed class GrainTypeMetrics
{
    private int _activations;
    private long _calls;
    private long _failures;
    private long _timeouts;

    internal GrainTypeMetrics(string grainType)
    {
        GrainType = grainType;
        Tag = new KeyValuePair<string, object?>(RuntimeInstruments.GrainTypeTag, grainType);
    }

    public string GrainType { get; }

    internal KeyValuePair<string, object?> Tag { get; }

    public int Activations => Volatile.Read(ref _activations);

    /// <summary>Calls of this type handled since start (the counters are observed from these: one interlocked add per call, no meter work).</summary>
    public long Calls => Interlocked.Read(ref _calls);
    public long Failures => Interlocked.Read(ref _failures);
    public long Timeouts => Interlocked.Read(ref _timeouts);

    internal void CallEnded(bool failed)
    {
        Interlocked.Increment(ref _calls);
        if (failed) Interlocked.Increment(ref _failures);
    }

    internal void CallTimedOut() => Interlocked.Increment(ref _timeouts);

    internal void ActivationAdded() => Interlocked.Increment(ref _activations);

    internal void ActivationRemoved() => Interlocked.Decrement(ref _activations);
}
