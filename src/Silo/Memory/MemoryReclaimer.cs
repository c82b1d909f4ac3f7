using Microsoft.Extensions.Options;

namespace OpenClaw.Silo.Memory;

/// <summary>
/// Gives memory back to the operating system after a burst. The GC frees the memory of a burst
/// (frames queued behind a slow or hostile client, a mass disconnect) only in its next full
/// collection, and a silo that is idle or only lightly loaded afterwards may not run one for
/// hours: whatever the GC configuration, the process keeps its peak size (bench/RESULTS.md,
/// "Memory after a flood"). Every <see cref="MemoryReclaimOptions.IntervalSeconds"/> this checks
/// whether the GC has more than <see cref="MemoryReclaimOptions.MinimumCommittedMegabytes"/>
/// committed and ran no full collection of its own since the previous check; if so it runs one
/// aggressive full collection. When that returns little (the memory is in use), the next checks
/// back off, doubling the wait up to <see cref="MemoryReclaimOptions.MaxIntervalSeconds"/>, so a
/// silo that legitimately holds much memory is not paused over and over.
/// </summary>
internal sealed class MemoryReclaimer(
    IGarbageCollector gc,
    IOptions<MemoryReclaimOptions> options,
    TimeProvider time,
    ILogger<MemoryReclaimer> logger) : BackgroundService
{
    /// <summary>A collection that returns less than this share of the committed memory counts as "little".</summary>
    private const double WorthwhileShare = 0.25;

    private readonly TimeSpan _interval = TimeSpan.FromSeconds(options.Value.IntervalSeconds);
    private readonly long _minimumCommitted = options.Value.MinimumCommittedMegabytes * 1024L * 1024;
    private int _fullCollections = gc.FullCollectionCount;
    private TimeSpan _wait = TimeSpan.FromSeconds(options.Value.IntervalSeconds);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_interval <= TimeSpan.Zero) return;
        try
        {
            while (true)
            {
                await Task.Delay(_wait, time, stoppingToken).ConfigureAwait(false);
                Check();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One check (called by the loop; tests call it directly); returns the wait until the next.</summary>
    internal TimeSpan Check()
    {
        var committed = gc.CommittedBytes;
        var fullCollections = gc.FullCollectionCount;
        var gcWasIdle = fullCollections == _fullCollections;
        _fullCollections = fullCollections;
        if (!gcWasIdle || committed < _minimumCommitted)
        {
            _wait = _interval;
            return _wait;
        }

        gc.CollectAndDecommit();
        _fullCollections = gc.FullCollectionCount;
        var after = gc.CommittedBytes;
        var returned = committed - after;
        if (returned >= committed * WorthwhileShare)
        {
            _wait = _interval;
            SiloLog.MemoryReclaimed(logger, Megabytes(committed), Megabytes(after));
        }
        else
        {
            _wait = TimeSpan.FromSeconds(Math.Min(_wait.TotalSeconds * 2, MemoryReclaimOptions.MaxIntervalSeconds));
            SiloLog.MemoryInUse(logger, Megabytes(committed), Megabytes(after), (long)_wait.TotalSeconds);
        }
        return _wait;
    }

    private static long Megabytes(long bytes) => bytes / (1024 * 1024);
}
