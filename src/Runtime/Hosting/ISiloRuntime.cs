namespace OpenClaw.Runtime;

/// <summary>Operator and test view of the local silo: its activations and manual control over collection.</summary>
public interface ISiloRuntime
{
    int ActivationCount { get; }

    IReadOnlyList<GrainId> GetActivations();

    bool IsActive(GrainId grainId);

    /// <summary>Deactivates the grain if it is active here; completes when it is gone.</summary>
    Task DeactivateAsync(GrainId grainId);

    /// <summary>Runs one idle-collection pass now; returns how many activations were deactivated.</summary>
    Task<int> CollectIdleActivationsAsync();

    /// <summary>Runs one capacity-eviction pass now; returns how many activations were deactivated.</summary>
    Task<int> EvictOverCapacityAsync();

    /// <summary>Fails calls whose deadline has passed (normally done on a timer).</summary>
    void ExpireTimedOutCalls();
}

internal sealed class SiloRuntime(Catalog catalog, ActivationCollector collector, CallTimeoutMonitor timeouts) : ISiloRuntime
{
    public int ActivationCount => catalog.Count;

    public IReadOnlyList<GrainId> GetActivations() => catalog.Activations.Select(a => a.GrainId).ToList();

    public bool IsActive(GrainId grainId) => catalog.TryGetActivation(grainId, out _);

    public Task DeactivateAsync(GrainId grainId) =>
        catalog.DeactivateAsync(grainId, new DeactivationReason(DeactivationReasonCode.ApplicationRequested, "requested by operator"));

    public Task<int> CollectIdleActivationsAsync() => collector.CollectIdleAsync();

    public Task<int> EvictOverCapacityAsync() => collector.EvictOverCapacityAsync();

    public void ExpireTimedOutCalls() => timeouts.Scan();
}
