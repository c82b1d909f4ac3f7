using Microsoft.Extensions.Logging;

namespace OpenClaw.Runtime;

/// <summary>The runtime's structured log events.</summary>
internal static partial class RuntimeLog
{
    [LoggerMessage(1001, LogLevel.Debug, "Activated {GrainId}")]
    public static partial void Activated(ILogger logger, GrainId grainId);

    [LoggerMessage(1002, LogLevel.Warning, "Activation of {GrainId} failed")]
    public static partial void ActivationFailed(ILogger logger, GrainId grainId, Exception exception);

    [LoggerMessage(1008, LogLevel.Debug, "Activation of {GrainId} failed: {Problem}")]
    public static partial void ActivationFailedOnCorruptState(ILogger logger, GrainId grainId, string problem);

    [LoggerMessage(1003, LogLevel.Debug, "Deactivated {GrainId} ({Reason})")]
    public static partial void Deactivated(ILogger logger, GrainId grainId, DeactivationReasonCode reason);

    [LoggerMessage(1004, LogLevel.Warning, "OnDeactivateAsync of {GrainId} failed")]
    public static partial void DeactivationFailed(ILogger logger, GrainId grainId, Exception exception);

    [LoggerMessage(1005, LogLevel.Error, "Unhandled exception in grain code of {GrainId}")]
    public static partial void UnhandledGrainException(ILogger logger, GrainId grainId, Exception exception);

    [LoggerMessage(1006, LogLevel.Warning, "Timer tick of {GrainId} failed")]
    public static partial void TimerTickFailed(ILogger logger, GrainId grainId, Exception exception);

    [LoggerMessage(1007, LogLevel.Debug, "One-way call {Call} to {GrainId} failed")]
    public static partial void OneWayCallFailed(ILogger logger, string call, GrainId grainId, Exception exception);

    [LoggerMessage(1010, LogLevel.Information, "Collected {Count} idle activations ({Remaining} remain)")]
    public static partial void CollectedIdle(ILogger logger, int count, int remaining);

    [LoggerMessage(1011, LogLevel.Information, "Evicted {Count} least recently used idle activations over capacity {Capacity} ({Remaining} remain)")]
    public static partial void EvictedForCapacity(ILogger logger, int count, int capacity, int remaining);

    [LoggerMessage(1012, LogLevel.Information, "Silo stopping: deactivating {Count} activations")]
    public static partial void DeactivatingAll(ILogger logger, int count);

    [LoggerMessage(1013, LogLevel.Information, "Silo stopped: all activations deactivated in {ElapsedMs} ms")]
    public static partial void DeactivatedAll(ILogger logger, long elapsedMs);

    [LoggerMessage(1014, LogLevel.Error, "Activation collector pass failed")]
    public static partial void CollectorFailed(ILogger logger, Exception exception);

    [LoggerMessage(1016, LogLevel.Debug, "{GrainId} is registered on silo {Winner}: this activation steps back and forwards its {Count} waiting calls there")]
    public static partial void LostRegistration(ILogger logger, GrainId grainId, SiloAddress winner, int count);

    [LoggerMessage(1015, LogLevel.Debug, "Observer call {Call} failed")]
    public static partial void ObserverCallFailed(ILogger logger, string call, Exception exception);
}
