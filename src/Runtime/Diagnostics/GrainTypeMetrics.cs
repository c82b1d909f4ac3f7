namespace OpenClaw.Runtime.Diagnostics;

/// <summary>
/// The per-grain-type part of the runtime's figures: the <c>grain.type</c> tag (built once, so
/// recording allocates nothing) and the live activation count behind the activations gauge.
/// Grain types are a bounded set (the registered grain classes).
/// </summary>
public sealed class GrainTypeMetrics
{
    private int _activations;

    internal GrainTypeMetrics(string grainType)
    {
        GrainType = grainType;
        Tag = new KeyValuePair<string, object?>(RuntimeInstruments.GrainTypeTag, grainType);
    }

    public string GrainType { get; }

    internal KeyValuePair<string, object?> Tag { get; }

    public int Activations => Volatile.Read(ref _activations);

    internal void ActivationAdded() => Interlocked.Increment(ref _activations);

    internal void ActivationRemoved() => Interlocked.Decrement(ref _activations);
}
