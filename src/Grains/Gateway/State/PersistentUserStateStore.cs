using OpenClaw.Runtime;

namespace OpenClaw.Grains.Gateway;

/// <summary>
/// <see cref="IUserStateStore"/> over the grain's two <see cref="IPersistentState{TState}"/>.
/// Background runs and turns can both ask for a save at await points of the same activation, so
/// writes go through a gate: an ETag-checked write never races another write of the same state.
/// </summary>
internal sealed class PersistentUserStateStore(
    IPersistentState<UserSessionsState> sessions,
    IPersistentState<UserProfileState> profile) : IUserStateStore
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _sessionsDirty;
    private bool _profileDirty;
    private bool _closed;

    public UserSessionsState Sessions => sessions.State;

    public UserProfileState Profile => profile.State;

    public bool IsDirty => _sessionsDirty || _profileDirty;

    public void MarkSessionsDirty() => _sessionsDirty = true;

    public void MarkProfileDirty() => _profileDirty = true;

    public void Close() => _closed = true;

    public async Task SaveAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_closed)
            {
                return;
            }

            if (_sessionsDirty)
            {
                _sessionsDirty = false;
                try
                {
                    await sessions.WriteStateAsync(cancellationToken);
                }
                catch
                {
                    _sessionsDirty = true;
                    throw;
                }
            }

            if (_profileDirty)
            {
                _profileDirty = false;
                try
                {
                    await profile.WriteStateAsync(cancellationToken);
                }
                catch
                {
                    _profileDirty = true;
                    throw;
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
