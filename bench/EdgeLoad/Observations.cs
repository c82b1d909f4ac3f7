using System.Collections.Concurrent;

namespace OpenClaw.Bench.EdgeLoad;

/// <summary>
/// What the gateway did that a well-behaved server should not (error responses, unexpected
/// frames, seq gaps, server-side closes) and, for information, the events seen: counts per kind
/// plus the first few raw frames of each anomaly kind, printed at the end of the run.
/// </summary>
internal sealed class Observations
{
    private const int SamplesPerKind = 3;
    private const int MaxSampleChars = 600;

    private readonly ConcurrentDictionary<string, Counter> _anomalies = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Counter> _events = new(StringComparer.Ordinal);

    public static Observations Global { get; } = new();

    public void Anomaly(string scenario, string kind, string? sample = null)
    {
        var counter = _anomalies.GetOrAdd($"[{scenario}] {kind}", _ => new Counter());
        var n = Interlocked.Increment(ref counter.Count);
        if (sample is not null && n <= SamplesPerKind)
        {
            lock (counter.Samples) counter.Samples.Add(sample.Length > MaxSampleChars ? sample[..MaxSampleChars] + "…" : sample);
        }
    }

    public void Event(string scenario, string name) =>
        Interlocked.Increment(ref _events.GetOrAdd($"[{scenario}] {name}", _ => new Counter()).Count);

    public long AnomalyCount => _anomalies.Values.Sum(c => Interlocked.Read(ref c.Count));

    public void Print(TextWriter output)
    {
        output.WriteLine();
        output.WriteLine("## Events received (informational)");
        foreach (var (name, counter) in _events.OrderBy(e => e.Key, StringComparer.Ordinal))
            output.WriteLine($"  {name}: {counter.Count:N0}");
        output.WriteLine();
        output.WriteLine(_anomalies.IsEmpty ? "## Gateway anomalies: none observed" : "## Gateway anomalies");
        foreach (var (kind, counter) in _anomalies.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"  {kind}: {counter.Count:N0}");
            lock (counter.Samples)
                foreach (var sample in counter.Samples) output.WriteLine($"      e.g. {sample}");
        }
    }

    private sealed class Counter
    {
        public long Count;
        public readonly List<string> Samples = [];
    }
}
