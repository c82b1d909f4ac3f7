namespace OpenClaw.Grains.Gateway;

/// <summary>
/// The tenant's durable state as the gateway handlers see it: loaded once per activation, changed
/// in memory through the methods below (which say what changed), and written by
/// <see cref="SaveAsync"/> at the points where it must be durable (before a run is acknowledged,
/// before its terminal event, after <c>config.patch</c>, <c>sessions.reset</c>/<c>delete</c>, on
/// deactivation). A save writes only what changed: appending a message rewrites one bounded
/// transcript chunk and the session's small head, never the tenant's whole history.
/// </summary>
internal interface IUserStateStore
{
    /// <summary>Sessions by canonical key, each with its transcript.</summary>
    IReadOnlyDictionary<string, SessionRecord> Sessions { get; }

    UserProfileState Profile { get; }

    /// <summary>Runs acknowledged and not ended when the state was loaded (a crash or a stop interrupted them).</summary>
    IReadOnlyList<PendingRunRecord> PendingRuns { get; }

    /// <summary>Bytes the tenant's records hold in storage (what the storage quota limits).</summary>
    long StoredBytes { get; }

    bool IsDirty { get; }

    void AddSession(SessionRecord session);

    /// <summary>Puts <paramref name="session"/> in place of the session with its key (reset); the old transcript goes.</summary>
    void ReplaceSession(SessionRecord session);

    void RemoveSession(string key);

    /// <summary>A field of <paramref name="session"/> changed.</summary>
    void SessionChanged(SessionRecord session);

    /// <summary><paramref name="message"/> was added at the end of the session's transcript.</summary>
    void MessageAppended(SessionRecord session, TranscriptMessage message);

    /// <summary>Messages were dropped from the start of the session's transcript.</summary>
    void MessagesTrimmed(SessionRecord session);

    void MarkProfileDirty();

    /// <summary>The tenant's scheduled jobs (the <c>cron</c> record).</summary>
    Cron.CronStoreState Cron { get; }

    /// <summary>Something in <see cref="Cron"/> changed.</summary>
    void MarkCronDirty();

    void AddPendingRun(PendingRunRecord run);

    void RemovePendingRun(string runId);

    Task LoadAsync(CancellationToken cancellationToken = default);

    /// <summary>Writes whatever changed. Writes never overlap; a failed write leaves the state dirty and throws.</summary>
    Task SaveAsync(CancellationToken cancellationToken = default);

    /// <summary>After the final save of a deactivation: later saves do nothing, so that a late background write can never overwrite a newer activation's state.</summary>
    void Close();
}
