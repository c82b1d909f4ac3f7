namespace OpenClaw.Runtime;

/// <summary>Creates typed references to grains and registers local observers.</summary>
public interface IGrainFactory
{
    /// <summary>A reference to the grain with <paramref name="key"/>; it is activated by the first call.</summary>
    TGrainInterface GetGrain<TGrainInterface>(string key) where TGrainInterface : IGrainWithStringKey;

    /// <summary>A reference that grains can call back to reach <paramref name="observer"/>.</summary>
    TObserver CreateObjectReference<TObserver>(IGrainObserver observer) where TObserver : IGrainObserver;

    /// <summary>Unregisters an observer: later calls through its reference fail with <see cref="ObserverNotFoundException"/>.</summary>
    void DeleteObjectReference<TObserver>(TObserver reference) where TObserver : IGrainObserver;
}
