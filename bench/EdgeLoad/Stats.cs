using System.Globalization;

namespace OpenClaw.Bench.EdgeLoad;

/// <summary>Percentiles (nearest rank) and medians over rounds.</summary>
internal static class Stats
{
    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToList();
        if (sorted.Count == 0) return double.NaN;
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    public static string Ms(double value) => double.IsNaN(value) ? "n/a" : value.ToString(value < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + " ms";

    public static string Number(double value) => double.IsNaN(value) ? "n/a" : value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Bytes(double value) => double.IsNaN(value) ? "n/a"
        : Math.Abs(value) >= 1 << 20 ? (value / (1 << 20)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB"
        : Math.Abs(value) >= 1 << 10 ? (value / (1 << 10)).ToString("0.0", CultureInfo.InvariantCulture) + " KiB"
        : value.ToString("0", CultureInfo.InvariantCulture) + " B";

    /// <summary>"min … max" of per-round values, to show the spread behind a median.</summary>
    public static string Range(IEnumerable<double> values, Func<double, string> format)
    {
        var list = values.Where(v => !double.IsNaN(v)).ToList();
        return list.Count == 0 ? "n/a" : $"{format(list.Min())} … {format(list.Max())}";
    }
}

/// <summary>Latency samples of one round, in milliseconds.</summary>
internal sealed class LatencySamples
{
    private readonly List<double> _values = [];
    private readonly Lock _lock = new();

    public void Add(double ms)
    {
        lock (_lock) _values.Add(ms);
    }

    public void AddRange(IEnumerable<double> ms)
    {
        lock (_lock) _values.AddRange(ms);
    }

    public int Count
    {
        get { lock (_lock) return _values.Count; }
    }

    public (double P50, double P99) Percentiles()
    {
        List<double> sorted;
        lock (_lock) sorted = [.. _values.Order()];
        return (Stats.Percentile(sorted, 50), Stats.Percentile(sorted, 99));
    }
}
