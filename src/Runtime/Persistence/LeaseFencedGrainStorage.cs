namespace OpenClaw.Runtime;

/// <summary>
/// Grain storage that refuses writes while the silo's lease is not valid: a silo that was frozen
/// or cut off from the membership table, and may have been replaced by another owner of the
/// grain, must not overwrite state. Reads pass. Grains that keep records of their own through
/// <see cref="IGrainStorage"/> wrap it in this; <see cref="IPersistentState{TState}"/> always is.
/// </summary>
public sealed class LeaseFencedGrainStorage(IGrainStorage inner, ISiloLease lease) : IGrainStorage
{
    public Task<StoredGrainState?> ReadAsync(GrainStateKey key, CancellationToken cancellationToken) => inner.ReadAsync(key, cancellationToken);

    public Task<int> WriteAsync(GrainStateKey key, ReadOnlyMemory<byte> data, int expectedEtag, CancellationToken cancellationToken)
    {
        EnsureLease(key);
        return inner.WriteAsync(key, data, expectedEtag, cancellationToken);
    }

    public Task<int> ClearAsync(GrainStateKey key, int expectedEtag, CancellationToken cancellationToken)
    {
        EnsureLease(key);
        return inner.ClearAsync(key, expectedEtag, cancellationToken);
    }

    private void EnsureLease(GrainStateKey key)
    {
        if (!lease.IsValid)
            throw new SiloUnavailableException($"This silo has lost its cluster lease; {key} is not written (another silo may own the grain now).");
    }
}
