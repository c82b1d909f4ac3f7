using OpenClaw.Grains.Gateway;
using OpenClaw.Runtime;

namespace OpenClaw.Grains.Tests.UserGrainTests;

/// <summary>
/// The tenant's state held as the storage would hold it: each save serializes the states with the
/// grain serializer (as the runtime's persistence does), and <see cref="Reactivate"/> builds a
/// store from those bytes, as a new activation would load them.
/// </summary>
internal sealed class InMemoryUserStateStore : IUserStateStore
{
    static InMemoryUserStateStore() => GrainSerializer.AddResolver(UserGrainJsonContext.Default);

    private bool _sessionsDirty;
    private bool _profileDirty;

    public InMemoryUserStateStore(UserSessionsState? sessions = null, UserProfileState? profile = null)
    {
        Sessions = sessions ?? new UserSessionsState();
        Profile = profile ?? new UserProfileState();
    }

    public UserSessionsState Sessions { get; }

    public UserProfileState Profile { get; }

    public bool IsDirty => _sessionsDirty || _profileDirty;

    public bool Closed { get; private set; }

    public int SaveCount { get; private set; }

    /// <summary>When set, saves throw it (a storage outage or an ETag conflict).</summary>
    public Exception? FailWith { get; set; }

    public byte[]? StoredSessions { get; private set; }

    public byte[]? StoredProfile { get; private set; }

    public void MarkSessionsDirty() => _sessionsDirty = true;

    public void MarkProfileDirty() => _profileDirty = true;

    public void Close() => Closed = true;

    public Task SaveAsync(CancellationToken cancellationToken = default)
    {
        if (Closed)
        {
            return Task.CompletedTask;
        }

        if (FailWith is { } failure)
        {
            throw failure;
        }

        if (_sessionsDirty)
        {
            StoredSessions = GrainSerializer.SerializeToUtf8Bytes(Sessions);
            _sessionsDirty = false;
        }

        if (_profileDirty)
        {
            StoredProfile = GrainSerializer.SerializeToUtf8Bytes(Profile);
            _profileDirty = false;
        }

        SaveCount++;
        return Task.CompletedTask;
    }

    /// <summary>A store loaded from what was saved (unsaved changes are lost, as they would be).</summary>
    public InMemoryUserStateStore Reactivate() => new(
        StoredSessions is null ? null : GrainSerializer.Deserialize<UserSessionsState>(StoredSessions),
        StoredProfile is null ? null : GrainSerializer.Deserialize<UserProfileState>(StoredProfile));
}
