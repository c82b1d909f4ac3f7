using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenClaw.Runtime.TestingHost;
using OpenClaw.Silo.Memory;

namespace OpenClaw.Silo.Tests;

public sealed class MemoryReclaimerTests
{
    private const long MiB = 1024 * 1024;
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(MemoryReclaimOptions.DefaultIntervalSeconds);

    private static MemoryReclaimer Reclaimer(FakeGarbageCollector gc, TimeProvider? time = null) =>
        new(gc, Options.Create(new MemoryReclaimOptions()), time ?? TimeProvider.System, NullLogger<MemoryReclaimer>.Instance);

    [Fact]
    public void A_small_heap_is_left_alone()
    {
        var gc = new FakeGarbageCollector { Committed = (MemoryReclaimOptions.DefaultMinimumCommittedMegabytes - 1) * MiB };
        var reclaimer = Reclaimer(gc);

        for (var check = 0; check < 5; check++) Assert.Equal(Interval, reclaimer.Check());

        Assert.Equal(0, gc.Collections);
    }

    [Fact]
    public void A_large_heap_the_gc_leaves_alone_is_collected_once_and_memory_returns()
    {
        var gc = new FakeGarbageCollector { Committed = 2_500 * MiB, CommittedAfterCollection = 150 * MiB };
        var reclaimer = Reclaimer(gc);

        Assert.Equal(Interval, reclaimer.Check());
        Assert.Equal(1, gc.Collections);
        Assert.Equal(150 * MiB, gc.Committed);

        Assert.Equal(Interval, reclaimer.Check());
        Assert.Equal(1, gc.Collections);
    }

    [Fact]
    public void A_heap_the_gc_is_collecting_by_itself_is_left_to_it()
    {
        var gc = new FakeGarbageCollector { Committed = 2_500 * MiB };
        var reclaimer = Reclaimer(gc);

        for (var check = 0; check < 5; check++)
        {
            gc.FullCollections++; // the GC ran a full collection of its own during the interval
            reclaimer.Check();
        }

        Assert.Equal(0, gc.Collections);
    }

    [Fact]
    public void Memory_in_use_backs_the_checks_off_until_the_gc_is_busy_again()
    {
        var gc = new FakeGarbageCollector { Committed = 2_500 * MiB, CommittedAfterCollection = 2_400 * MiB };
        var reclaimer = Reclaimer(gc);

        Assert.Equal(Interval * 2, reclaimer.Check());
        Assert.Equal(Interval * 4, reclaimer.Check());
        Assert.Equal(Interval * 8, reclaimer.Check());
        for (var check = 0; check < 20; check++) reclaimer.Check();
        Assert.Equal(TimeSpan.FromSeconds(MemoryReclaimOptions.MaxIntervalSeconds), reclaimer.Check());
        Assert.Equal(24, gc.Collections);

        gc.FullCollections++;
        Assert.Equal(Interval, reclaimer.Check());
        Assert.Equal(24, gc.Collections);
    }

    [Fact]
    public async Task The_checks_run_on_the_silos_clock()
    {
        var time = new TimerWatchingClock(new ManualTimeProvider());
        var gc = new FakeGarbageCollector { Committed = 2_500 * MiB, CommittedAfterCollection = 150 * MiB };
        using var reclaimer = Reclaimer(gc, time);
        await reclaimer.StartAsync(CancellationToken.None);
        await time.TimerCreated.WaitAsync(TimeSpan.FromSeconds(30)); // the loop runs in the background: wait for its first wait

        time.Inner.Advance(Interval - TimeSpan.FromSeconds(1));
        Assert.Equal(0, gc.Collections);
        time.Inner.Advance(TimeSpan.FromSeconds(1));
        await gc.FirstCollection.WaitAsync(TimeSpan.FromSeconds(30));

        await reclaimer.StopAsync(CancellationToken.None);
    }

    [Theory]
    [InlineData(-1, 256)]
    [InlineData(MemoryReclaimOptions.MaxIntervalSeconds + 1, 256)]
    [InlineData(30, 0)]
    public void Unusable_options_are_rejected(int intervalSeconds, int minimumMegabytes)
    {
        var result = new MemoryReclaimOptionsValidator().Validate(null, new MemoryReclaimOptions
        {
            IntervalSeconds = intervalSeconds,
            MinimumCommittedMegabytes = minimumMegabytes,
        });

        Assert.True(result.Failed);
    }

    private sealed class FakeGarbageCollector : IGarbageCollector
    {
        private readonly TaskCompletionSource _firstCollection = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public long Committed { get; set; }
        public long CommittedAfterCollection { get; set; }
        public int FullCollections { get; set; }
        public int Collections { get; private set; }
        public Task FirstCollection => _firstCollection.Task;

        long IGarbageCollector.CommittedBytes => Committed;
        int IGarbageCollector.FullCollectionCount => FullCollections;

        public void CollectAndDecommit()
        {
            Collections++;
            FullCollections++;
            Committed = CommittedAfterCollection;
            _firstCollection.TrySetResult();
        }
    }

    /// <summary>The manual clock, telling when the code under test starts waiting on it.</summary>
    private sealed class TimerWatchingClock(ManualTimeProvider inner) : TimeProvider
    {
        private readonly TaskCompletionSource _timerCreated = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ManualTimeProvider Inner => inner;
        public Task TimerCreated => _timerCreated.Task;
        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();
        public override long GetTimestamp() => inner.GetTimestamp();
        public override long TimestampFrequency => inner.TimestampFrequency;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = inner.CreateTimer(callback, state, dueTime, period);
            _timerCreated.TrySetResult();
            return timer;
        }
    }
}
