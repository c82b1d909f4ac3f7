namespace OpenClaw.Runtime;

/// <summary>Binds one named state of one activation to its storage provider (fenced by the silo's lease).</summary>
internal sealed class PersistentState<TState>(GrainStateKey key, IGrainStorage storage) : IPersistentState<TState>, IPersistentStateLoader
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
        var data = GrainSerializer.SerializeToUtf8Bytes(_state);
        Etag = await storage.WriteAsync(key, data, Etag, cancellationToken).ConfigureAwait(false);
        RecordExists = true;
    }

    public async Task ClearStateAsync(CancellationToken cancellationToken = default)
    {
        Etag = await storage.ClearAsync(key, Etag, cancellationToken).ConfigureAwait(false);
        RecordExists = false;
        _state = new TState();
    }

    Task IPersistentStateLoader.LoadAsync(CancellationToken cancellationToken) => ReadStateAsync(cancellationToken);
}

/// <summary>Lets the activation load every state of a grain before <see cref="Grain.OnActivateAsync"/>.</summary>
internal interface IPersistentStateLoader
{
    Task LoadAsync(CancellationToken cancellationToken);
}
