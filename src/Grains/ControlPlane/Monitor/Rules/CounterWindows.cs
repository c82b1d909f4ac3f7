using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.ControlPlane.Monitor.Rules;

/// <summary>How a silo's cumulative counters moved over <see cref="Span"/>.</summary>
internal sealed record SiloCounterDelta(TimeSpan Span, long Calls, long CallFailures, long ProviderErrors);

/// <summary>
/// Turns the silos' since-start counters into changes over the last window (one monitor interval):
/// keeps a few timestamped samples per silo and compares with the newest one at least a window
/// old, so an extra evaluation (the admin's "evaluate now") sees the same window as the timer's.
/// A silo whose counters went down (it restarted under the same name) counts from zero.
/// Not persisted: a new activation needs one window before the rate rules have data.
/// </summary>
internal sealed class CounterWindows(TimeSpan window)
{
    private const int MaxSamplesPerSilo = 16;
    private readonly Dictionary<string, List<Sample>> _samples = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, SiloCounterDelta> Record(DateTimeOffset now, ClusterStatsSnapshot? cluster)
    {
        var deltas = new Dictionary<string, SiloCounterDelta>(StringComparer.Ordinal);
        if (cluster is null) return deltas;

        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var silo in cluster.Silos)
        {
            present.Add(silo.Silo);
            var current = new Sample(now, silo.StartedAt, silo.CallsTotal, silo.CallFailuresTotal, silo.ProviderErrorsTotal);
            if (!_samples.TryGetValue(silo.Silo, out var samples)) _samples[silo.Silo] = samples = [];
            if (samples.Count > 0 && samples[^1].IsRestartedBy(current))
            {
                // Restarted since the last sample: all it counted since its start is new.
                var last = samples[^1];
                samples.Clear();
                samples.Add(new Sample(last.At, current.StartedAt, 0, 0, 0));
            }

            var baseline = samples.LastOrDefault(s => now - s.At >= window);
            if (baseline is not null)
            {
                deltas[silo.Silo] = new SiloCounterDelta(now - baseline.At,
                    current.Calls - baseline.Calls, current.CallFailures - baseline.CallFailures, current.ProviderErrors - baseline.ProviderErrors);
                samples.RemoveAll(s => s.At < baseline.At);
            }

            // Evaluations closer together than a tenth of the window add no sample: bounded memory.
            if (samples.Count == 0 || now - samples[^1].At >= window / 10) samples.Add(current);
            if (samples.Count > MaxSamplesPerSilo) samples.RemoveAt(1);
        }

        foreach (var gone in _samples.Keys.Where(k => !present.Contains(k)).ToList())
        {
            // Unreachable silos keep their samples; they may answer next time.
            if (!cluster.Unreachable.Contains(gone, StringComparer.Ordinal)) _samples.Remove(gone);
        }

        return deltas;
    }

    private sealed record Sample(DateTimeOffset At, DateTimeOffset StartedAt, long Calls, long CallFailures, long ProviderErrors)
    {
        public bool IsRestartedBy(Sample next) =>
            next.StartedAt != StartedAt || next.Calls < Calls || next.CallFailures < CallFailures || next.ProviderErrors < ProviderErrors;
    }
}
