namespace OpenClaw.Runtime;

/// <summary>Creates references bound to a router; validates keys and interfaces up front.</summary>
internal sealed class GrainFactory(IGrainCallRouter router, Func<Type, string> grainTypeOf, LocalObserverRegistry observers) : IGrainFactory
{
    /// <summary>A factory for a silo, which knows its grain classes.</summary>
    public GrainFactory(IGrainCallRouter router, GrainTypeRegistry types, LocalObserverRegistry observers)
        : this(router, grainInterface => types.GetByInterface(grainInterface).GrainType, observers)
    {
    }

    public TGrainInterface GetGrain<TGrainInterface>(string key) where TGrainInterface : IGrainWithStringKey
    {
        ArgumentNullException.ThrowIfNull(key);
        if (string.IsNullOrWhiteSpace(key)) throw new ArgumentException("A grain key must be a non-empty, non-blank string.", nameof(key));
        var grainInterface = typeof(TGrainInterface);
        if (!grainInterface.IsInterface)
            throw new ArgumentException($"{grainInterface.FullName} is not an interface; call grains through their grain interface.", nameof(TGrainInterface));
        var grainType = grainTypeOf(grainInterface);
        var factory = GrainCodeRegistry.Instance.GetReferenceFactory(grainInterface);
        return (TGrainInterface)(object)factory(new GrainId(grainType, key), router);
    }

    public TObserver CreateObjectReference<TObserver>(IGrainObserver observer) where TObserver : IGrainObserver
    {
        ArgumentNullException.ThrowIfNull(observer);
        if (observer is GrainReference)
            throw new ArgumentException("The observer is already a reference; pass the local object.", nameof(observer));
        if (observer is not TObserver)
            throw new ArgumentException($"{observer.GetType().Name} does not implement {typeof(TObserver).Name}.", nameof(observer));
        var factory = GrainCodeRegistry.Instance.GetReferenceFactory(typeof(TObserver));
        var id = observers.Register(observer);
        return (TObserver)(object)factory(id, router);
    }

    public void DeleteObjectReference<TObserver>(TObserver reference) where TObserver : IGrainObserver
    {
        if (reference is not GrainReference { GrainId.IsObserver: true } grainReference)
            throw new ArgumentException("Not an observer reference created by CreateObjectReference.", nameof(reference));
        observers.Unregister(grainReference.GrainId);
    }
}
