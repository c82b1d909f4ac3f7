namespace OpenClaw.Runtime;

/// <summary>What an activation offers the grain instance it hosts.</summary>
internal interface IGrainContext
{
    GrainId GrainId { get; }
    IGrainFactory GrainFactory { get; }
    IServiceProvider Services { get; }
    TimeProvider TimeProvider { get; }
    void DeactivateOnIdle();
    void DelayDeactivation(TimeSpan duration);
    void SetKeepAlive(bool keepAlive);
    IGrainTimer RegisterTimer(Func<CancellationToken, Task> callback, GrainTimerOptions options);
    void AddActivityProbe(Func<bool> isActive);
}
