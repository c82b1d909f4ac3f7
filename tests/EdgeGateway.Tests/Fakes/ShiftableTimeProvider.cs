namespace OpenClaw.EdgeGateway.Tests.Fakes;

/// <summary>
/// The system clock shifted by <see cref="Offset"/> (timers and timestamps stay real), so a test
/// can put "now" at a captured frame's time or move it forward.
/// </summary>
internal sealed class ShiftableTimeProvider : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
        set => Interlocked.Exchange(ref _offsetTicks, value.Ticks);
    }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;

    /// <summary>Timestamps move with the offset too, so cache expiry can be tested without waiting.</summary>
    public override long GetTimestamp() => System.GetTimestamp() + (long)(Offset.TotalSeconds * TimestampFrequency);
}
