namespace OpenClaw.Runtime;

/// <summary>Runtime settings with their named defaults. Bound from configuration, validated at startup.</summary>
public sealed class GrainRuntimeOptions
{
    public static readonly TimeSpan DefaultCollectionAge = TimeSpan.FromMinutes(30);
    public static readonly TimeSpan DefaultCollectionQuantum = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan DefaultResponseTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultActivationTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultDeactivationTimeout = TimeSpan.FromSeconds(30);
    public const int DefaultMaxActivations = 1000;
    public const int DefaultMaxPendingCallsPerActivation = 5000;

    /// <summary>Idle activations older than this are deactivated (the seeds' <c>userIdleTimeoutMs</c>).</summary>
    public TimeSpan CollectionAge { get; set; } = DefaultCollectionAge;

    /// <summary>How often the collector scans for idle activations.</summary>
    public TimeSpan CollectionQuantum { get; set; } = DefaultCollectionQuantum;

    /// <summary>Per grain type (name) collection ages; these win over <see cref="CollectionAgeLimitAttribute"/>.</summary>
    public Dictionary<string, TimeSpan> ClassSpecificCollectionAge { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Live activations per silo before the least recently used idle ones are evicted (the seeds' <c>maxCachedUsers</c>).</summary>
    public int MaxActivations { get; set; } = DefaultMaxActivations;

    /// <summary>
    /// Calls one activation may have waiting (not yet started); more are refused at once with
    /// <see cref="ActivationOverloadedException"/>, so a flood costs its sender, not minutes of queued work.
    /// </summary>
    public int MaxPendingCallsPerActivation { get; set; } = DefaultMaxPendingCallsPerActivation;

    /// <summary>A call not answered within this fails with <see cref="GrainCallTimeoutException"/>.</summary>
    public TimeSpan ResponseTimeout { get; set; } = DefaultResponseTimeout;

    public TimeSpan ActivationTimeout { get; set; } = DefaultActivationTimeout;

    public TimeSpan DeactivationTimeout { get; set; } = DefaultDeactivationTimeout;

    /// <summary>How often pending calls are checked against their deadline.</summary>
    public TimeSpan ResponseTimeoutScanInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many activations deactivate at once during shutdown.</summary>
    public int ShutdownDeactivationParallelism { get; set; } = 64;

    internal IEnumerable<string> Validate()
    {
        if (CollectionAge <= TimeSpan.Zero) yield return "CollectionAge must be positive.";
        if (CollectionQuantum <= TimeSpan.Zero) yield return "CollectionQuantum must be positive.";
        if (MaxActivations < 1) yield return "MaxActivations must be at least 1.";
        if (MaxPendingCallsPerActivation < 1) yield return "MaxPendingCallsPerActivation must be at least 1.";
        if (ResponseTimeout <= TimeSpan.Zero) yield return "ResponseTimeout must be positive.";
        if (ActivationTimeout <= TimeSpan.Zero) yield return "ActivationTimeout must be positive.";
        if (DeactivationTimeout <= TimeSpan.Zero) yield return "DeactivationTimeout must be positive.";
        if (ResponseTimeoutScanInterval <= TimeSpan.Zero) yield return "ResponseTimeoutScanInterval must be positive.";
        if (ShutdownDeactivationParallelism < 1) yield return "ShutdownDeactivationParallelism must be at least 1.";
        foreach (var (type, age) in ClassSpecificCollectionAge)
            if (age <= TimeSpan.Zero) yield return $"ClassSpecificCollectionAge[{type}] must be positive.";
    }
}
