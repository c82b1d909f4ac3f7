namespace OpenClaw.Silo.Memory;

/// <summary>
/// When the silo asks the GC to give memory back (<c>server:memoryReclaim</c> section); see
/// <see cref="MemoryReclaimer"/>.
/// </summary>
public sealed class MemoryReclaimOptions
{
    public const string SectionName = "server:memoryReclaim";
    public const int DefaultIntervalSeconds = 30;
    public const int DefaultMinimumCommittedMegabytes = 256;
    public const int MaxIntervalSeconds = 3600;

    /// <summary>How often the GC's committed memory is checked; 0 turns reclaiming off.</summary>
    public int IntervalSeconds { get; set; } = DefaultIntervalSeconds;

    /// <summary>Below this much memory committed by the GC nothing is done.</summary>
    public int MinimumCommittedMegabytes { get; set; } = DefaultMinimumCommittedMegabytes;
}
