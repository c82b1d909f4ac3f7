using System.Diagnostics;
using OpenClaw.Runtime.Diagnostics;
using OpenClaw.Runtime.TestingHost;

namespace OpenClaw.Runtime.Tests.Diagnostics;

public sealed class SlidingLatencyWindowTests
{
    private static long Ms(double ms) => (long)(ms * Stopwatch.Frequency / 1000.0);

    [Fact]
    public void Percentiles_come_from_the_recorded_latencies_within_a_bin()
    {
        var window = new SlidingLatencyWindow(new ManualTimeProvider());
        for (var i = 0; i < 98; i++) window.Record(Ms(2));
        window.Record(Ms(100));
        window.Record(Ms(100));

        var summary = window.Summarize();

        Assert.Equal(100, summary.Count);
        Assert.InRange(summary.P50Ms, 2, 2 * 1.25);
        Assert.InRange(summary.P99Ms, 100, 100 * 1.25);
    }

    [Fact]
    public void Samples_older_than_the_window_are_forgotten()
    {
        var clock = new ManualTimeProvider();
        var window = new SlidingLatencyWindow(clock);
        window.Record(Ms(50));
        clock.Advance(TimeSpan.FromSeconds(30));
        window.Record(Ms(1));
        Assert.Equal(2, window.Summarize().Count);

        clock.Advance(TimeSpan.FromSeconds(SlidingLatencyWindow.WindowSeconds - 10));
        var summary = window.Summarize();
        Assert.Equal(1, summary.Count);
        Assert.InRange(summary.P99Ms, 1, 1.25);

        // The slot of a second 64 s later is cleared before it is reused.
        clock.Advance(TimeSpan.FromSeconds(34));
        window.Record(Ms(7));
        summary = window.Summarize();
        Assert.Equal(1, summary.Count);
        Assert.InRange(summary.P50Ms, 7, 7 * 1.25);
    }

    [Fact]
    public void Bins_grow_monotonically_and_cover_each_value()
    {
        var previous = -1;
        foreach (var micros in new long[] { 0, 1, 2, 3, 5, 8, 13, 100, 999, 1000, 123_456, 10_000_000, long.MaxValue / 2 })
        {
            var bin = SlidingLatencyWindow.BinOf(micros);
            Assert.True(bin >= previous);
            previous = bin;
            if (micros is > 0 and < 1L << 39) Assert.True(SlidingLatencyWindow.UpperBoundMicros(bin) >= micros, $"{micros} above its bin's edge");
        }
    }
}
