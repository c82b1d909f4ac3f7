using System.Numerics;

namespace OpenClaw.Runtime.Diagnostics;

/// <summary>
/// Latencies of the recent past (about <see cref="WindowSeconds"/>), for percentiles without
/// locks: one histogram per second in a ring, log-scale bins (four per power of two, so a
/// percentile is within ~19% of the true value), recorded with one interlocked increment. A
/// second's slot is reused 64 seconds later; the first recorder of the new second clears it (a
/// sample racing that reset may be lost, which a statistic tolerates).
/// </summary>
public sealed class SlidingLatencyWindow
{
    /// <summary>How many seconds a snapshot covers.</summary>
    public const int WindowSeconds = 60;

    private const int Slots = 64; // > WindowSeconds, a power of two
    private const int SubBins = 4;
    internal const int Bins = 40 * SubBins; // microseconds up to 2^40 (~12 days)

    private readonly long[] _counts = new long[Slots * Bins];
    private readonly long[] _slotSecond = new long[Slots];
    private static readonly double MicrosPerTick = 1_000_000.0 / System.Diagnostics.Stopwatch.Frequency;
    private readonly TimeProvider _time;

    /// <param name="time">The clock that says which second it is (the system clock unless a test moves it).</param>
    public SlidingLatencyWindow(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        Array.Fill(_slotSecond, -1);
    }

    /// <summary>Records one latency given in <see cref="System.Diagnostics.Stopwatch"/> ticks.</summary>
    public void Record(long elapsedStopwatchTicks)
    {
        var micros = elapsedStopwatchTicks <= 0 ? 0 : (long)(elapsedStopwatchTicks * MicrosPerTick);
        var second = CurrentSecond();
        var slot = (int)(second & (Slots - 1));
        var seen = Volatile.Read(ref _slotSecond[slot]);
        if (seen != second && Interlocked.CompareExchange(ref _slotSecond[slot], second, seen) == seen)
        {
            Array.Clear(_counts, slot * Bins, Bins);
        }
        Interlocked.Increment(ref _counts[slot * Bins + BinOf(micros)]);
    }

    /// <summary>Percentiles (0..1) of the last <see cref="WindowSeconds"/> in milliseconds; 0 when nothing was recorded.</summary>
    public LatencySummary Summarize()
    {
        var merged = new long[Bins];
        var now = CurrentSecond();
        for (var slot = 0; slot < Slots; slot++)
        {
            var second = Volatile.Read(ref _slotSecond[slot]);
            if (second < 0 || now - second >= WindowSeconds || second > now) continue;
            for (var bin = 0; bin < Bins; bin++) merged[bin] += Volatile.Read(ref _counts[slot * Bins + bin]);
        }
        long total = 0;
        foreach (var count in merged) total += count;
        if (total == 0) return new LatencySummary(0, 0, 0, 0);
        return new LatencySummary(total, Percentile(merged, total, 0.50), Percentile(merged, total, 0.95), Percentile(merged, total, 0.99));
    }

    private long CurrentSecond() => _time.GetTimestamp() / _time.TimestampFrequency;

    internal static int BinOf(long micros)
    {
        if (micros < 1) return 0;
        var log = BitOperations.Log2((ulong)micros);
        // The two bits below the leading one pick the quarter within [2^log, 2^(log+1)).
        var quarter = log >= 2 ? (int)((micros >> (log - 2)) & 3) : (int)((micros << (2 - log)) & 3);
        return Math.Min(log * SubBins + quarter, Bins - 1);
    }

    /// <summary>The upper edge of a bin, in microseconds.</summary>
    internal static double UpperBoundMicros(int bin)
    {
        var log = bin / SubBins;
        var quarter = bin % SubBins;
        return Math.Pow(2, log) * (1 + (quarter + 1) / (double)SubBins);
    }

    private static double Percentile(long[] merged, long total, double quantile)
    {
        var rank = (long)Math.Ceiling(quantile * total);
        long seen = 0;
        for (var bin = 0; bin < merged.Length; bin++)
        {
            seen += merged[bin];
            if (seen >= rank) return UpperBoundMicros(bin) / 1000.0;
        }
        return UpperBoundMicros(merged.Length - 1) / 1000.0;
    }
}

/// <summary>Recent latency: how many samples and their percentiles in milliseconds.</summary>
public readonly record struct LatencySummary(long Count, double P50Ms, double P95Ms, double P99Ms);
