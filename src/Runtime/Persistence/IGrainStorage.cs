namespace OpenClaw.Runtime;

/// <summary>Where one named state of one grain is stored.</summary>
public readonly record struct GrainStateKey(string GrainType, string GrainKey, string StateName)
{
    public override string ToString() => $"{GrainType}/{GrainKey}#{StateName}";
}

/// <summary>
/// A stored record. <see cref="Data"/> is null for a cleared record (a tombstone keeps the ETag
/// counting up so that an old reader can never overwrite a newer write).
/// </summary>
public sealed record StoredGrainState(byte[]? Data, int Etag);

/// <summary>
/// A persistence provider. Providers store opaque UTF-8 JSON and enforce the ETag: a write or
/// clear whose <c>expectedEtag</c> is not the stored one throws <see cref="InconsistentStateException"/>.
/// ETag 0 means "no record"; every successful write or clear returns the stored ETag + 1.
/// </summary>
public interface IGrainStorage
{
    Task<StoredGrainState?> ReadAsync(GrainStateKey key, CancellationToken cancellationToken);

    Task<int> WriteAsync(GrainStateKey key, ReadOnlyMemory<byte> data, int expectedEtag, CancellationToken cancellationToken);

    Task<int> ClearAsync(GrainStateKey key, int expectedEtag, CancellationToken cancellationToken);
}

public static class GrainStorageNames
{
    /// <summary>The provider used when a <see cref="PersistentStateAttribute"/> names none.</summary>
    public const string Default = "Default";
}
