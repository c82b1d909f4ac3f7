namespace OpenClaw.Runtime.TestingHost;

/// <summary>Grain storage kept in memory, with the same ETag rules as the real providers. For tests and benchmarks.</summary>
public sealed class InMemoryGrainStorage : IGrainStorage
{
    private readonly Dictionary<GrainStateKey, StoredGrainState> _records = [];

    public int Count
    {
        get { lock (_records) return _records.Count(r => r.Value.Data is not null); }
    }

    public Task<StoredGrainState?> ReadAsync(GrainStateKey key, CancellationToken cancellationToken)
    {
        lock (_records) return Task.FromResult(_records.TryGetValue(key, out var record) ? record : null);
    }

    public Task<int> WriteAsync(GrainStateKey key, ReadOnlyMemory<byte> data, int expectedEtag, CancellationToken cancellationToken) =>
        Task.FromResult(Store(key, data.ToArray(), expectedEtag));

    public Task<int> ClearAsync(GrainStateKey key, int expectedEtag, CancellationToken cancellationToken) =>
        Task.FromResult(Store(key, null, expectedEtag));

    private int Store(GrainStateKey key, byte[]? data, int expectedEtag)
    {
        lock (_records)
        {
            var stored = _records.TryGetValue(key, out var record) ? record.Etag : 0;
            if (stored != expectedEtag)
                throw new InconsistentStateException($"ETag conflict on {key}: stored {stored}, expected {expectedEtag}.", stored, expectedEtag);
            _records[key] = new StoredGrainState(data, stored + 1);
            return stored + 1;
        }
    }
}
