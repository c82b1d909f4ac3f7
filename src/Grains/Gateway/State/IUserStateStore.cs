namespace OpenClaw.Grains.Gateway;

/// <summary>
/// The tenant's durable state as the gateway handlers see it. Handlers change the objects in place,
/// mark what they changed, and call <see cref="SaveAsync"/> at the points where it must be durable
/// (after a run, after <c>config.patch</c>, on deactivation).
/// </summary>
internal interface IUserStateStore
{
    UserSessionsState Sessions { get; }

    UserProfileState Profile { get; }

    bool IsDirty { get; }

    void MarkSessionsDirty();

    void MarkProfileDirty();

    /// <summary>Writes whatever is dirty. Writes never overlap; a failed write leaves the state dirty and throws.</summary>
    Task SaveAsync(CancellationToken cancellationToken = default);

    /// <summary>After the final save of a deactivation: later saves do nothing, so that a late background write can never overwrite a newer activation's state.</summary>
    void Close();
}
