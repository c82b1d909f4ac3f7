namespace OpenClaw.Runtime;

/// <summary>
/// Binds one named state of one activation to its storage provider. Writes are refused while the
/// silo's lease is not valid: a silo that may have been replaced must not overwrite the state.
/// </summary>
internal sealed class PersistentState<TState>(GrainStateKey key, IGrainStorage storage, ISiloLease lease) : IPersistentState<TState>, IPersistentStateLoader
    where TState : class, new()
{
    private TState _state = new();

    public TState State
    {
        get => _state;
        set => _state = value ?? throw new ArgumentNullException(nameof(value));
    }

    public int Etag { get; private set; }

    public bool RecordExists { get; private set; }

    public async Task ReadStateAsync(CancellationToken cancellationToken = default)
    {
        var stored = await storage.ReadAsync(key, cancellationToken).ConfigureAwait(false);
        Etag = stored?.Etag ?? 0;
        RecordExists = stored?.Data is not null;
        _state = stored?.Data is { } data ? GrainSerializer.Deserialize<TState>(data) ?? new TState() : new TState();
    }

    public async Task WriteStateAsync(CancellationToken cancellationToken = default)
    {
        EnsureLease();
        var data = GrainSerializer.SerializeToUtf8Bytes(_state);
        Etag = await storage.WriteAsync(key, data, Etag, cancellationToken).ConfigureAwait(false);
        RecordExists = true;
    }

    public async Task ClearStateAsync(CancellationToken cancellationToken = default)
    {
        EnsureLease();
        Etag = await storage.ClearAsync(key, Etag, cancellationToken).ConfigureAwait(false);
        RecordExists = false;
        _state = new TState();
    }

    private void EnsureLease()
    {
        if (!lease.IsValid)
            throw new SiloUnavailableException($"This silo has lost its cluster lease; the state {key} is not written (another silo may own the grain now).");
    }

    Task IPersistentStateLoader.LoadAsync(CancellationToken cancellationToken) => ReadStateAsync(cancellationToken);
}

/// <summary>Lets the activation load every state of a grain before <see cref="Grain.OnActivateAsync"/>.</summary>
internal interface IPersistentStateLoader
{
    Task LoadAsync(CancellationToken cancellationToken);
}
