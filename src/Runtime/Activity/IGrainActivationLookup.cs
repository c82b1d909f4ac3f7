namespace OpenClaw.Runtime;

/// <summary>
/// Tells whether a grain has a live activation somewhere, without activating it: for pushing a
/// notice to grains that are active now and leaving dormant ones dormant (they read fresh state
/// when they next activate). A single silo answers from its catalog; a silo in a cluster asks its
/// catalog first and then the grain directory, counting only activations on silos that are not
/// dead or leaving. The answer can be stale by the time the caller acts on it: a grain may
/// deactivate right after (the caller's call then activates it, which is harmless for a notice)
/// or activate right after (it then loads the current state itself).
/// </summary>
public interface IGrainActivationLookup
{
    Task<bool> IsActiveAsync(GrainId grainId, CancellationToken cancellationToken);
}

public static class GrainActivationLookupExtensions
{
    /// <summary>Whether the grain <typeparamref name="TGrainInterface"/>/<paramref name="key"/> is active (see <see cref="IGrainActivationLookup"/>).</summary>
    public static Task<bool> IsActiveAsync<TGrainInterface>(this IGrainActivationLookup lookup, IGrainFactory grainFactory, string key,
        CancellationToken cancellationToken) where TGrainInterface : IGrainWithStringKey
    {
        ArgumentNullException.ThrowIfNull(lookup);
        ArgumentNullException.ThrowIfNull(grainFactory);
        var reference = (GrainReference)(object)grainFactory.GetGrain<TGrainInterface>(key);
        return lookup.IsActiveAsync(reference.GrainId, cancellationToken);
    }
}
