namespace OpenClaw.Runtime;

/// <summary>A registered grain timer. Dispose to stop it.</summary>
public interface IGrainTimer : IDisposable
{
    /// <summary>Changes when the timer next fires and its period.</summary>
    void Change(TimeSpan dueTime, TimeSpan period);
}

public sealed record GrainTimerOptions
{
    public TimeSpan DueTime { get; init; }

    /// <summary><see cref="Timeout.InfiniteTimeSpan"/> for a one-shot timer.</summary>
    public TimeSpan Period { get; init; } = Timeout.InfiniteTimeSpan;

    /// <summary>When true, each tick counts as activity and keeps the activation from being collected.</summary>
    public bool KeepAlive { get; init; }

    /// <summary>When true, ticks may interleave with a running call instead of waiting for it.</summary>
    public bool Interleave { get; init; }
}
