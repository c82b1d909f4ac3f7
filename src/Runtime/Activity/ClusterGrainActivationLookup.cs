namespace OpenClaw.Runtime;

/// <summary>
/// A silo in a cluster: active here (catalog), or registered in the grain directory on a silo the
/// membership view does not count as dead or leaving.
/// </summary>
internal sealed class ClusterGrainActivationLookup(Catalog catalog, IGrainDirectory directory, ClusterMembershipView view) : IGrainActivationLookup
{
    public async Task<bool> IsActiveAsync(GrainId grainId, CancellationToken cancellationToken)
    {
        if (catalog.TryGetActivation(grainId, out _)) return true;
        var address = await directory.LookupAsync(grainId, cancellationToken).ConfigureAwait(false);
        return address is not null && !view.Current.IsLeaving(address.Silo);
    }
}
