namespace OpenClaw.Runtime;

/// <summary>
/// A grain's durable state. Loaded before <see cref="Grain.OnActivateAsync"/>; written only when
/// the grain asks. <see cref="Etag"/> guards writes: a write based on a stale read fails with
/// <see cref="InconsistentStateException"/> and is never retried silently.
/// </summary>
public interface IPersistentState<TState> where TState : class, new()
{
    TState State { get; set; }

    /// <summary>Version of the stored record this state was read from or last written as; 0 when nothing was ever stored.</summary>
    int Etag { get; }

    bool RecordExists { get; }

    Task ReadStateAsync(CancellationToken cancellationToken = default);

    Task WriteStateAsync(CancellationToken cancellationToken = default);

    /// <summary>Removes the stored record and resets <see cref="State"/> to a new instance.</summary>
    Task ClearStateAsync(CancellationToken cancellationToken = default);
}
