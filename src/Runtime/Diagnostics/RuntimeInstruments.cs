using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OpenClaw.Runtime.Diagnostics;

/// <summary>
/// The runtime's meter (<see cref="MeterName"/>): grain calls, activations, queues, membership and
/// the directory cache. Labels come only from bounded sets (grain type, outcome, reason, status);
/// never a grain key or tenant. Recording on the call path is a few interlocked adds with a
/// prebuilt tag: no allocation, no lock. Also feeds <see cref="GrainCallStatistics"/>.
/// </summary>
public sealed class RuntimeInstruments : IDisposable
{
    public const string MeterName = "OpenClaw.Runtime";
    public const string GrainTypeTag = "grain.type";
    public const string ReasonTag = "reason";
    public const string StatusTag = "status";
    public const string ResultTag = "result";

    /// <summary>Histogram buckets for call latency (seconds): 100 µs to 30 s.</summary>
    public static readonly IReadOnlyList<double> CallDurationBuckets =
        [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly Meter _meter;
    private readonly ConcurrentDictionary<string, GrainTypeMetrics> _types = new(StringComparer.Ordinal);
    private readonly Counter<long> _calls;
    private readonly Counter<long> _callFailures;
    private readonly Counter<long> _callTimeouts;
    private readonly Histogram<double> _callDuration;
    private readonly Counter<long> _activationsCreated;
    private readonly Counter<long> _activationsDeactivated;
    private readonly Counter<long> _directoryLookups;
    private readonly double _secondsPerTick;
    private int _maxQueueLength;
    private Func<IEnumerable<(string Status, int Count)>>? _membership;
    private Func<int>? _directoryCacheSize;

    public RuntimeInstruments(IMeterFactory? meterFactory = null, GrainCallStatistics? statistics = null)
    {
        _secondsPerTick = 1.0 / Stopwatch.Frequency;
        Statistics = statistics ?? new GrainCallStatistics();
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _calls = _meter.CreateCounter<long>("openclaw.grain.calls", "{call}", "Grain calls handled by this silo (counted when the turn ends).");
        _callFailures = _meter.CreateCounter<long>("openclaw.grain.call.failures", "{call}", "Grain calls whose turn ended with an exception or cancellation.");
        _callTimeouts = _meter.CreateCounter<long>("openclaw.grain.call.timeouts", "{call}", "Grain calls this silo expired because the caller's deadline passed.");
        _callDuration = _meter.CreateHistogram("openclaw.grain.call.duration", "s", "Time from a call's turn start to its end.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = CallDurationBuckets });
        _activationsCreated = _meter.CreateCounter<long>("openclaw.grain.activations.created", "{activation}", "Activations created on this silo.");
        _activationsDeactivated = _meter.CreateCounter<long>("openclaw.grain.activations.deactivated", "{activation}",
            "Activations that left, by reason: idle (collected), capacity (evicted), shutdown, application, failed, other.");
        _meter.CreateObservableGauge("openclaw.grain.activations", ObserveActivations, "{activation}", "Live activations on this silo, by grain type.");
        _meter.CreateObservableGauge("openclaw.grain.queue.length.max", ObserveMaxQueueLength, "{call}",
            "The longest queue of waiting calls any single activation had since the last collection.");
        _meter.CreateObservableGauge("openclaw.cluster.silos", ObserveSilos, "{silo}", "Silos in this silo's membership view, by status.");
        _meter.CreateObservableGauge("openclaw.directory.cache.size", ObserveDirectoryCache, "{entry}", "Entries in this silo's grain directory cache.");
        _directoryLookups = _meter.CreateCounter<long>("openclaw.directory.lookups", "{lookup}", "Grain directory lookups by result: hit (cache) or miss.");
    }

    public GrainCallStatistics Statistics { get; }

    /// <summary>The figures per grain type (one entry per registered type that was activated).</summary>
    public IEnumerable<GrainTypeMetrics> GrainTypes => _types.Values;

    public GrainTypeMetrics ForType(string grainType) => _types.GetOrAdd(grainType, static t => new GrainTypeMetrics(t));

    /// <summary>A grain call's turn ended (elapsed in <see cref="Stopwatch"/> ticks).</summary>
    public void CallEnded(GrainTypeMetrics type, long elapsedTicks, bool failed)
    {
        _calls.Add(1, type.Tag);
        if (failed) _callFailures.Add(1, type.Tag);
        if (_callDuration.Enabled) _callDuration.Record(elapsedTicks * _secondsPerTick, type.Tag);
        Statistics.CallEnded(elapsedTicks, failed);
    }

    public void CallTimedOut(GrainTypeMetrics type)
    {
        _callTimeouts.Add(1, type.Tag);
        Statistics.CallTimedOut();
    }

    public void ActivationCreated(GrainTypeMetrics type)
    {
        type.ActivationAdded();
        _activationsCreated.Add(1, type.Tag);
        Statistics.ActivationCreated();
    }

    /// <summary>An activation left the catalog (after deactivating, or failing to activate).</summary>
    public void ActivationRemoved(GrainTypeMetrics type, DeactivationReasonCode reason)
    {
        type.ActivationRemoved();
        _activationsDeactivated.Add(1, type.Tag, new KeyValuePair<string, object?>(ReasonTag, ReasonLabel(reason)));
        Statistics.ActivationDeactivated(reason);
    }

    /// <summary>Called with an activation's waiting calls when one is queued; keeps the maximum.</summary>
    public void QueueLength(int waiting)
    {
        var current = Volatile.Read(ref _maxQueueLength);
        while (waiting > current)
        {
            var seen = Interlocked.CompareExchange(ref _maxQueueLength, waiting, current);
            if (seen == current) return;
            current = seen;
        }
    }

    public void DirectoryLookup(bool cacheHit) =>
        _directoryLookups.Add(1, new KeyValuePair<string, object?>(ResultTag, cacheHit ? "hit" : "miss"));

    /// <summary>Set by the cluster at startup: the membership view's silo counts by status.</summary>
    public void ObserveMembership(Func<IEnumerable<(string Status, int Count)>> silosByStatus) => _membership = silosByStatus;

    /// <summary>Set by the cluster at startup: the directory cache's size.</summary>
    public void ObserveDirectoryCache(Func<int> size) => _directoryCacheSize = size;

    internal static string ReasonLabel(DeactivationReasonCode reason) => reason switch
    {
        DeactivationReasonCode.ActivationIdle => "idle",
        DeactivationReasonCode.CapacityEviction => "capacity",
        DeactivationReasonCode.ShuttingDown => "shutdown",
        DeactivationReasonCode.ApplicationRequested => "application",
        DeactivationReasonCode.ActivationFailed => "failed",
        _ => "other",
    };

    private IEnumerable<Measurement<int>> ObserveActivations()
    {
        foreach (var type in _types.Values) yield return new Measurement<int>(type.Activations, type.Tag);
    }

    private int ObserveMaxQueueLength() => Interlocked.Exchange(ref _maxQueueLength, 0);

    private IEnumerable<Measurement<int>> ObserveSilos()
    {
        if (_membership is not { } membership) yield break;
        foreach (var (status, count) in membership()) yield return new Measurement<int>(count, new KeyValuePair<string, object?>(StatusTag, status));
    }

    private IEnumerable<Measurement<int>> ObserveDirectoryCache()
    {
        if (_directoryCacheSize is { } size) yield return new Measurement<int>(size());
    }

    public void Dispose() => _meter.Dispose();
}
