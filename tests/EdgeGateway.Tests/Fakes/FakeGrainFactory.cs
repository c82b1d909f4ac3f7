using System.Collections.Concurrent;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Runtime;

namespace OpenClaw.EdgeGateway.Tests.Fakes;

/// <summary>An <see cref="IGrainFactory"/> handing out one <see cref="FakeUserGrain"/> per tenant; observer references are the observers themselves.</summary>
internal sealed class FakeGrainFactory : IGrainFactory
{
    private readonly ConcurrentDictionary<string, FakeUserGrain> _grains = new();

    public ConcurrentQueue<IGrainObserver> CreatedReferences { get; } = new();

    public ConcurrentQueue<IGrainObserver> DeletedReferences { get; } = new();

    /// <summary>
    /// When set before the first call, every grain call holds one of these slots until it ends: a
    /// model of the silo's finite capacity shared by all tenants.
    /// </summary>
    public SemaphoreSlim? SharedCapacity { get; set; }

    public FakeUserGrain Grain(string tenantId) => _grains.GetOrAdd(tenantId, id => new FakeUserGrain(id, SharedCapacity));

    public TGrainInterface GetGrain<TGrainInterface>(string key) where TGrainInterface : IGrainWithStringKey
    {
        if (typeof(TGrainInterface) != typeof(IUserGrain)) throw new NotSupportedException(typeof(TGrainInterface).Name);
        return (TGrainInterface)(object)Grain(key);
    }

    public TObserver CreateObjectReference<TObserver>(IGrainObserver observer) where TObserver : IGrainObserver
    {
        CreatedReferences.Enqueue(observer);
        return (TObserver)observer;
    }

    public void DeleteObjectReference<TObserver>(TObserver reference) where TObserver : IGrainObserver =>
        DeletedReferences.Enqueue(reference);
}
