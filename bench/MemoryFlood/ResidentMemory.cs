using OpenClaw.Bench.EdgeLoad;

namespace OpenClaw.Bench.MemoryFlood;

/// <summary>Reads the silo's resident set until it stops moving, with a deadline.</summary>
internal static class ResidentMemory
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Samples VmRSS once a second for at least <paramref name="minimum"/>; settled when the last
    /// <paramref name="window"/> readings lie within <paramref name="tolerance"/> (relative) of each
    /// other. Gives up at <paramref name="deadline"/> and returns the last reading.
    /// </summary>
    public static async Task<Reading> SettleAsync(SiloProcess silo, TimeSpan minimum, TimeSpan deadline, CancellationToken ct,
        int window = 5, double tolerance = 0.01)
    {
        var started = DateTime.UtcNow;
        var readings = new List<long>();
        while (true)
        {
            readings.Add(silo.ResidentBytes());
            var elapsed = DateTime.UtcNow - started;
            if (readings.Count >= window && elapsed >= minimum)
            {
                var last = readings[^window..];
                if (last.Max() - last.Min() <= tolerance * last.Max()) return new Reading(readings[^1], elapsed, Settled: true);
            }
            if (elapsed >= deadline) return new Reading(readings[^1], elapsed, Settled: false);
            await Task.Delay(Interval, ct);
        }
    }

    /// <summary>Samples VmRSS once a second until it is at most <paramref name="target"/>, or <paramref name="deadline"/> after <paramref name="since"/>.</summary>
    public static async Task<Reading> FallBelowAsync(SiloProcess silo, long target, DateTime since, TimeSpan deadline, CancellationToken ct)
    {
        while (true)
        {
            var rss = silo.ResidentBytes();
            var elapsed = DateTime.UtcNow - since;
            if (rss <= target) return new Reading(rss, elapsed, Settled: true);
            if (elapsed >= deadline) return new Reading(rss, elapsed, Settled: false);
            await Task.Delay(Interval, ct);
        }
    }

    /// <summary>The GC-related thread names of the process: shows which GC actually runs (server GC has one ".NET Server GC" thread per heap).</summary>
    public static string GcThreads(int pid)
    {
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                var name = File.ReadAllText(Path.Combine(task, "comm")).Trim();
                if (name.Contains("GC", StringComparison.Ordinal)) names[name] = names.GetValueOrDefault(name) + 1;
            }
            catch (IOException)
            {
                // the thread ended
            }
        }
        return names.Count == 0 ? "none" : string.Join(", ", names.OrderBy(n => n.Key, StringComparer.Ordinal).Select(n => $"{n.Key} ×{n.Value}"));
    }

    public readonly record struct Reading(long Bytes, TimeSpan After, bool Settled)
    {
        public override string ToString() => $"{Stats.Bytes(Bytes)} after {After.TotalSeconds:0} s{(Settled ? "" : " (not settled)")}";
    }
}
