using OpenClaw.Grains.Gateway;
using OpenClaw.Runtime;

namespace OpenClaw.Grains.Tests.UserGrainTests;

/// <summary>
/// Grain storage for the gateway tests, with the real providers' ETag rules: records kept in
/// memory, every write and clear logged with its size, failures on demand, and
/// <see cref="Snapshot"/>, which is what a process killed at that moment leaves behind.
/// </summary>
internal sealed class TestStateStorage : IGrainStorage
{
    public const string GrainType = "user";

    static TestStateStorage() => GrainSerializer.AddResolver(UserGrainJsonContext.Default);

    private readonly object _lock = new();
    private readonly Dictionary<GrainStateKey, StoredGrainState> _records;
    private readonly List<(string StateName, int Bytes)> _writes = [];

    public TestStateStorage()
        : this([])
    {
    }

    private TestStateStorage(Dictionary<GrainStateKey, StoredGrainState> records) => _records = records;

    /// <summary>When set, writes and clears throw it (a storage outage, or an ETag conflict).</summary>
    public Exception? FailWith { get; set; }

    /// <summary>Writes and clears so far: the state name and the bytes written (0 for a clear).</summary>
    public IReadOnlyList<(string StateName, int Bytes)> Writes
    {
        get
        {
            lock (_lock) return _writes.ToList();
        }
    }

    /// <summary>State names holding data now.</summary>
    public IReadOnlyList<string> StateNames
    {
        get
        {
            lock (_lock) return _records.Where(r => r.Value.Data is not null).Select(r => r.Key.StateName).Order().ToList();
        }
    }

    /// <summary>Bytes held by all records now.</summary>
    public long StoredBytes
    {
        get
        {
            lock (_lock) return _records.Values.Sum(r => (long)(r.Data?.Length ?? 0));
        }
    }

    /// <summary>What is stored right now; later writes do not change it.</summary>
    public TestStateStorage Snapshot()
    {
        lock (_lock) return new TestStateStorage(new Dictionary<GrainStateKey, StoredGrainState>(_records));
    }

    /// <summary>Stores a record directly (e.g. in an older format).</summary>
    public void Put<T>(string stateName, T value)
    {
        lock (_lock) _records[Key(stateName)] = new StoredGrainState(GrainSerializer.SerializeToUtf8Bytes(value), 1);
    }

    public byte[]? Get(string stateName)
    {
        lock (_lock) return _records.TryGetValue(Key(stateName), out var record) ? record.Data : null;
    }

    /// <summary>A new activation's view: a store loaded from a snapshot of what is stored now.</summary>
    public IUserStateStore Load(UserGrainOptions? options = null)
    {
        var store = new PersistentUserStateStore(Snapshot(), GrainType, GatewayHarness.TenantId, options ?? new UserGrainOptions());
        store.LoadAsync().GetAwaiter().GetResult();
        return store;
    }

    public Task<StoredGrainState?> ReadAsync(GrainStateKey key, CancellationToken cancellationToken)
    {
        lock (_lock) return Task.FromResult(_records.TryGetValue(key, out var record) ? record : null);
    }

    public Task<int> WriteAsync(GrainStateKey key, ReadOnlyMemory<byte> data, int expectedEtag, CancellationToken cancellationToken) =>
        Task.FromResult(Store(key, data.ToArray(), expectedEtag));

    public Task<int> ClearAsync(GrainStateKey key, int expectedEtag, CancellationToken cancellationToken) =>
        Task.FromResult(Store(key, null, expectedEtag));

    private int Store(GrainStateKey key, byte[]? data, int expectedEtag)
    {
        if (FailWith is { } failure)
        {
            throw failure;
        }

        lock (_lock)
        {
            var stored = _records.TryGetValue(key, out var record) ? record.Etag : 0;
            if (stored != expectedEtag)
            {
                throw new InconsistentStateException($"ETag conflict on {key}: stored {stored}, expected {expectedEtag}.", stored, expectedEtag);
            }

            _records[key] = new StoredGrainState(data, stored + 1);
            _writes.Add((key.StateName, data?.Length ?? 0));
            return stored + 1;
        }
    }

    private static GrainStateKey Key(string stateName) => new(GrainType, GatewayHarness.TenantId, stateName);
}
