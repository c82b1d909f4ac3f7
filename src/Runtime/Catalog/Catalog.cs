using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenClaw.Runtime.Diagnostics;

namespace OpenClaw.Runtime;

/// <summary>
/// The silo's table of live activations: routes each message to the single activation of its
/// grain, creating it on first use. Exactly one activation per grain id exists at a time:
/// creation is an atomic insert into the table, the loser of a race routes to the winner.
/// </summary>
internal sealed class Catalog
{
    private readonly ConcurrentDictionary<GrainId, ActivationData> _activations = new();
    private readonly GrainTypeRegistry _types;
    private readonly Lazy<IGrainFactory> _grainFactory;
    private int _count;
    private volatile bool _stopping;

    public Catalog(
        GrainTypeRegistry types,
        GrainActivator activator,
        IOptions<GrainRuntimeOptions> options,
        TimeProvider timeProvider,
        ILogger<Catalog> logger,
        IServiceProvider services,
        IEnumerable<IIncomingGrainCallFilter> callFilters,
        RuntimeInstruments? instruments = null)
    {
        Instruments = instruments ?? new RuntimeInstruments();
        CallFilters = callFilters.ToArray();
        _types = types;
        Activator = activator;
        Options = options.Value;
        TimeProvider = timeProvider;
        Logger = logger;
        Services = services;
        _grainFactory = new Lazy<IGrainFactory>(services.GetRequiredService<IGrainFactory>);
    }

    public GrainActivator Activator { get; }
    public GrainRuntimeOptions Options { get; }
    public TimeProvider TimeProvider { get; }
    public ILogger Logger { get; }
    public IServiceProvider Services { get; }
    public IGrainFactory GrainFactory => _grainFactory.Value;

    /// <summary>The runtime's meter and call statistics.</summary>
    public RuntimeInstruments Instruments { get; }

    /// <summary>Incoming call filters, in registration order; empty means the call path skips them.</summary>
    public IIncomingGrainCallFilter[] CallFilters { get; }

    /// <summary>Live activations (including ones activating or deactivating).</summary>
    public int Count => Volatile.Read(ref _count);

    public bool IsStopping => _stopping;

    /// <summary>Raised when an activation pushes the count over <see cref="GrainRuntimeOptions.MaxActivations"/>.</summary>
    public event Action? CapacityExceeded;

    public IEnumerable<ActivationData> Activations => _activations.Values;

    /// <summary>Set once at startup when the silo is part of a cluster; null for a single silo.</summary>
    public ICatalogClusterServices? Cluster { get; set; }

    public ISiloLease Lease => Cluster?.Lease ?? UnlimitedSiloLease.Instance;

    /// <summary>Routes a message that found no activation it may run in: anew through the cluster, or (single silo) into this catalog.</summary>
    public void Reroute(GrainMessage message)
    {
        if (Cluster is { } cluster) cluster.Reroute(message);
        else Dispatch(message);
    }

    public bool TryGetActivation(GrainId grainId, out ActivationData activation) => _activations.TryGetValue(grainId, out activation!);

    public void Dispatch(GrainMessage message)
    {
        var attempts = 0;
        while (true)
        {
            if (_activations.TryGetValue(message.Target, out var activation))
            {
                if (activation.TryEnqueue(message)) return;
            }
            else
            {
                if (_stopping)
                {
                    if (Cluster is { } cluster) cluster.Reroute(message); // a draining silo sends new work elsewhere
                    else message.Fail(new SiloUnavailableException($"The silo is shutting down; {message.Target} cannot be activated."));
                    return;
                }
                if (!_types.TryGetByType(message.Target.Type, out var classInfo))
                {
                    message.Fail(new InvalidOperationException($"Unknown grain type '{message.Target.Type}'."));
                    return;
                }
                if (classInfo.IsSiloBound && !SiloBoundRoute.AddressesThisSilo(message.Target.Key, Cluster?.Silo))
                {
                    message.Fail(SiloBoundKeys.TryParse(message.Target.Key, out _) || Cluster is null
                        ? SiloBoundRoute.NotThisSilo(message.Target, Cluster?.Silo)
                        : SiloBoundRoute.NotASiloKey(message.Target));
                    return;
                }
                var created = new ActivationData(message.Target, classInfo, this);
                if (_activations.TryAdd(message.Target, created))
                {
                    Instruments.ActivationCreated(created.TypeMetrics);
                    if (Interlocked.Increment(ref _count) > Options.MaxActivations) CapacityExceeded?.Invoke();
                    if (created.TryEnqueue(message)) return;
                }
            }
            // The activation we found is leaving and not yet removed from the table: try again.
            if (++attempts % 64 == 0) Thread.Yield();
        }
    }

    internal void Remove(ActivationData activation, DeactivationReasonCode reason)
    {
        if (_activations.TryRemove(new KeyValuePair<GrainId, ActivationData>(activation.GrainId, activation)))
        {
            Interlocked.Decrement(ref _count);
            Instruments.ActivationRemoved(activation.TypeMetrics, reason);
        }
    }

    /// <summary>Deactivates one grain if it is active; completes when it is gone.</summary>
    public Task DeactivateAsync(GrainId grainId, DeactivationReason reason) =>
        _activations.TryGetValue(grainId, out var activation) ? activation.DeactivateAsync(reason) : Task.CompletedTask;

    /// <summary>Stops accepting new activations and deactivates every activation.</summary>
    public async Task DeactivateAllAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _stopping = true;
        var started = TimeProvider.GetTimestamp();
        RuntimeLog.DeactivatingAll(Logger, Count);
        await Parallel.ForEachAsync(
            _activations.Values.ToArray(),
            new ParallelOptions { MaxDegreeOfParallelism = Options.ShutdownDeactivationParallelism, CancellationToken = cancellationToken },
            async (activation, ct) => await activation.DeactivateAsync(reason).WaitAsync(ct));
        RuntimeLog.DeactivatedAll(Logger, (long)TimeProvider.GetElapsedTime(started).TotalMilliseconds);
    }
}
