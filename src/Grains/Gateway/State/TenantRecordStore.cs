using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using OpenClaw.Runtime;

namespace OpenClaw.Grains.Gateway;

/// <summary>
/// The tenant's records in the grain storage, one per state name under the grain's type and key:
/// typed reads and writes with the ETag of each record, and the bytes each one holds (for the
/// tenant's storage quota). A record this activation has not read or written yet (a new chunk,
/// or one left behind by a crash) is read first to learn its ETag, so that it can be overwritten.
/// Used from one activation's turns only, with writes serialized by the caller.
/// </summary>
internal sealed class TenantRecordStore(IGrainStorage storage, string grainType, string tenantId)
{
    private readonly Dictionary<string, (int Etag, long Bytes)> _known = new(StringComparer.Ordinal);

    /// <summary>Bytes held by the records this activation knows (read or written).</summary>
    public long StoredBytes { get; private set; }

    /// <summary>The record, or null when there is none (or it was cleared).</summary>
    public async Task<T?> ReadAsync<T>(string name, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        var stored = await storage.ReadAsync(Key(name), cancellationToken);
        Remember(name, stored?.Etag ?? 0, stored?.Data?.LongLength ?? 0);
        return stored?.Data is { } data ? JsonSerializer.Deserialize(data, type) : null;
    }

    public async Task WriteAsync<T>(string name, T value, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var data = JsonSerializer.SerializeToUtf8Bytes(value, type);
        var etag = await EtagAsync(name, cancellationToken);
        var written = await storage.WriteAsync(Key(name), data, etag, cancellationToken);
        Remember(name, written, data.LongLength);
    }

    /// <summary>Removes the record; nothing to do when it is known to hold nothing.</summary>
    public async Task ClearAsync(string name, CancellationToken cancellationToken)
    {
        if (_known.TryGetValue(name, out var known) && known.Bytes == 0)
        {
            return;
        }

        var etag = await EtagAsync(name, cancellationToken);
        if (_known[name].Bytes == 0)
        {
            return;
        }

        var cleared = await storage.ClearAsync(Key(name), etag, cancellationToken);
        Remember(name, cleared, 0);
    }

    private async Task<int> EtagAsync(string name, CancellationToken cancellationToken)
    {
        if (!_known.TryGetValue(name, out var known))
        {
            var stored = await storage.ReadAsync(Key(name), cancellationToken);
            known = (stored?.Etag ?? 0, stored?.Data?.LongLength ?? 0);
            Remember(name, known.Etag, known.Bytes);
        }

        return known.Etag;
    }

    private void Remember(string name, int etag, long bytes)
    {
        StoredBytes += bytes - (_known.TryGetValue(name, out var previous) ? previous.Bytes : 0);
        _known[name] = (etag, bytes);
    }

    private GrainStateKey Key(string name) => new(grainType, tenantId, name);
}
