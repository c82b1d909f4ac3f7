using OpenClaw.Runtime;

namespace OpenClaw.Grains.Gateway;

/// <summary>
/// <see cref="IUserStateStore"/> over the grain storage, as small records under the grain's key:
/// <list type="bullet">
/// <item><c>sessions</c>: the index (how many slots of each kind exist), written only when one grows;</item>
/// <item><c>session/&lt;n&gt;</c>: one session's fields, its newest messages (one chunk at most) and the list of its older chunks;</item>
/// <item><c>transcript/&lt;n&gt;/&lt;c&gt;</c>: a full chunk (32 messages or 64 KiB) of one transcript;</item>
/// <item><c>run/&lt;n&gt;</c>: a run acknowledged and not ended (its prompt and first answer);</item>
/// <item><c>profile</c>: config overrides and usage.</item>
/// </list>
/// A save writes in an order that keeps every crash point consistent: the index first (it only
/// ever says "there may be more slots"), then chunks before the head that lists them (a head also
/// keeps the answers to the idempotency keys of its session's runs), heads before pending runs
/// are released, and records the written heads no longer list are cleared last. Writes go through a gate: background runs and turns both save at await points
/// of the same activation, and an ETag-checked write must never race another write.
/// The first format (one <c>sessions</c> record with every transcript inline) is migrated on load;
/// the old record is replaced only after the new records are written.
/// </summary>
internal sealed class PersistentUserStateStore(
    IGrainStorage storage,
    string grainType,
    string tenantId,
    UserGrainOptions options) : IUserStateStore
{
    private static readonly UserGrainJsonContext Json = UserGrainJsonContext.Default;

    private readonly TenantRecordStore _records = new(storage, grainType, tenantId);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, SessionRecord> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SessionSlot> _slotsByKey = new(StringComparer.Ordinal);
    private readonly List<SessionSlot> _sessionSlots = [];
    private readonly List<PendingRunSlot> _runSlots = [];
    private readonly ChangeMark _indexMark = new();
    private readonly ChangeMark _profileMark = new();
    private readonly ChangeMark _cronMark = new();
    private bool _migrating;
    private bool _closed;

    public IReadOnlyDictionary<string, SessionRecord> Sessions => _sessions;

    public UserProfileState Profile { get; private set; } = new();

    public Cron.CronStoreState Cron { get; private set; } = new();

    public IReadOnlyList<PendingRunRecord> PendingRuns => [.. _runSlots.Select(slot => slot.Run).OfType<PendingRunRecord>()];

    public long StoredBytes => _records.StoredBytes;

    public bool IsDirty =>
        _indexMark.IsDirty || _profileMark.IsDirty || _cronMark.IsDirty
        || _sessionSlots.Any(slot => slot.Head.IsDirty || slot.Chunks.Any(chunk => chunk.Mark.IsDirty))
        || _runSlots.Any(slot => slot.Mark.IsDirty);

    public async Task LoadAsync(CancellationToken cancellationToken = default)
    {
        Profile = await _records.ReadAsync(StateRecordNames.Profile, Json.UserProfileState, cancellationToken) ?? new UserProfileState();
        Cron = await _records.ReadAsync(StateRecordNames.Cron, Json.CronStoreState, cancellationToken) ?? new Cron.CronStoreState();
        var index = await _records.ReadAsync(StateRecordNames.Index, Json.UserSessionsState, cancellationToken);
        if (index is null)
        {
            return;
        }

        if (index.Format < UserSessionsState.CurrentFormat)
        {
            Migrate(index);
            return;
        }

        for (var slot = 0; slot < index.SessionSlots; slot++)
        {
            await LoadSessionSlotAsync(slot, cancellationToken);
        }

        for (var slot = 0; slot < index.RunSlots; slot++)
        {
            _runSlots.Add(new PendingRunSlot(slot)
            {
                Run = await _records.ReadAsync(StateRecordNames.PendingRun(slot), Json.PendingRunRecord, cancellationToken),
            });
        }
    }

    public void AddSession(SessionRecord session)
    {
        var slot = _sessionSlots.FirstOrDefault(candidate => candidate.Session is null);
        if (slot is null)
        {
            slot = new SessionSlot(_sessionSlots.Count);
            _sessionSlots.Add(slot);
            _indexMark.Touch();
        }

        slot.Session = session;
        foreach (var message in session.Messages)
        {
            slot.Append(message);
        }

        slot.Head.Touch();
        _sessions[session.Key] = session;
        _slotsByKey[session.Key] = slot;
    }

    public void ReplaceSession(SessionRecord session)
    {
        if (!_slotsByKey.TryGetValue(session.Key, out var slot))
        {
            AddSession(session);
            return;
        }

        slot.DropAll();
        slot.Session = session;
        _sessions[session.Key] = session;
    }

    public void RemoveSession(string key)
    {
        if (!_slotsByKey.Remove(key, out var slot))
        {
            return;
        }

        slot.DropAll();
        slot.Session = null;
        _sessions.Remove(key);
    }

    public void SessionChanged(SessionRecord session) => SlotOf(session)?.Head.Touch();

    public void MessageAppended(SessionRecord session, TranscriptMessage message) => SlotOf(session)?.Append(message);

    public void MessagesTrimmed(SessionRecord session)
    {
        if (SlotOf(session) is { } slot)
        {
            slot.DropBefore(session.Messages.Count == 0 ? long.MaxValue : session.Messages[0].Seq);
        }
    }

    public void MarkProfileDirty() => _profileMark.Touch();

    public void MarkCronDirty() => _cronMark.Touch();

    public void AddPendingRun(PendingRunRecord run)
    {
        var slot = _runSlots.FirstOrDefault(candidate => candidate.Run is null);
        if (slot is null)
        {
            slot = new PendingRunSlot(_runSlots.Count);
            _runSlots.Add(slot);
            _indexMark.Touch();
        }

        slot.Run = run;
        slot.Mark.Touch();
    }

    public void RemovePendingRun(string runId)
    {
        if (_runSlots.FirstOrDefault(slot => slot.Run?.RunId == runId) is { } slot)
        {
            slot.Run = null;
            slot.Mark.Touch();
        }
    }

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

            if (!_migrating)
            {
                await WriteIndexAsync(cancellationToken);
            }

            foreach (var slot in _sessionSlots.ToArray())
            {
                await WriteSessionSlotAsync(slot, cancellationToken);
            }

            foreach (var slot in _runSlots.ToArray())
            {
                await WritePendingRunSlotAsync(slot, cancellationToken);
            }

            if (_profileMark.IsDirty)
            {
                var version = _profileMark.Capture();
                await _records.WriteAsync(StateRecordNames.Profile, Profile, Json.UserProfileState, cancellationToken);
                _profileMark.Written(version);
            }

            if (_cronMark.IsDirty)
            {
                var version = _cronMark.Capture();
                await _records.WriteAsync(StateRecordNames.Cron, Cron, Json.CronStoreState, cancellationToken);
                _cronMark.Written(version);
            }

            if (_migrating)
            {
                await WriteIndexAsync(cancellationToken);
                _migrating = false;
            }

            foreach (var slot in _sessionSlots.ToArray())
            {
                foreach (var chunkSlot in slot.ClearableGarbage())
                {
                    await _records.ClearAsync(StateRecordNames.TranscriptChunk(slot.Number, chunkSlot), cancellationToken);
                    slot.Garbage.Remove(chunkSlot);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task WriteIndexAsync(CancellationToken cancellationToken)
    {
        if (!_indexMark.IsDirty)
        {
            return;
        }

        var version = _indexMark.Capture();
        var index = new UserSessionsState
        {
            Format = UserSessionsState.CurrentFormat,
            SessionSlots = _sessionSlots.Count,
            RunSlots = _runSlots.Count,
        };
        await _records.WriteAsync(StateRecordNames.Index, index, Json.UserSessionsState, cancellationToken);
        _indexMark.Written(version);
    }

    private async Task WriteSessionSlotAsync(SessionSlot slot, CancellationToken cancellationToken)
    {
        foreach (var chunk in slot.Chunks.Where(chunk => !chunk.IsInline && chunk.Mark.IsDirty).ToArray())
        {
            var version = chunk.Mark.Capture();
            await _records.WriteAsync(StateRecordNames.TranscriptChunk(slot.Number, chunk.Slot!.Value), chunk.ToRecord(), Json.TranscriptChunkRecord, cancellationToken);
            chunk.Mark.Written(version);
        }

        if (slot.Head.IsDirty)
        {
            var version = slot.Head.Capture();
            var tailVersion = slot.TailVersion();
            var head = slot.ToRecord();
            await _records.WriteAsync(StateRecordNames.SessionHead(slot.Number), head, Json.SessionHeadRecord, cancellationToken);
            slot.HeadWritten(head, version, tailVersion);
        }
    }

    private async Task WritePendingRunSlotAsync(PendingRunSlot slot, CancellationToken cancellationToken)
    {
        if (!slot.Mark.IsDirty)
        {
            return;
        }

        var version = slot.Mark.Capture();
        var name = StateRecordNames.PendingRun(slot.Number);
        if (slot.Run is { } run)
        {
            await _records.WriteAsync(name, run, Json.PendingRunRecord, cancellationToken);
        }
        else
        {
            await _records.ClearAsync(name, cancellationToken);
        }

        slot.Mark.Written(version);
    }

    private async Task LoadSessionSlotAsync(int number, CancellationToken cancellationToken)
    {
        var slot = new SessionSlot(number);
        _sessionSlots.Add(slot);
        var head = await _records.ReadAsync(StateRecordNames.SessionHead(number), Json.SessionHeadRecord, cancellationToken);
        if (head is null)
        {
            return;
        }

        var chunks = new List<TranscriptChunk>();
        var garbage = new List<int>(head.Garbage);
        foreach (var chunkSlot in head.Chunks.Distinct())
        {
            var record = await _records.ReadAsync(StateRecordNames.TranscriptChunk(number, chunkSlot), Json.TranscriptChunkRecord, cancellationToken);
            if (record is null || record.Messages.Count == 0)
            {
                garbage.Add(chunkSlot);
                continue;
            }

            chunks.Add(TranscriptChunk.Load(chunkSlot, record.Messages));
        }

        if (head.Tail.Count > 0)
        {
            chunks.Add(TranscriptChunk.Load(slot: null, head.Tail));
        }

        // A crash between writing a reused chunk and the head that lists it can leave the list out
        // of order; the messages' seq numbers are the truth. The inline tail stays last.
        slot.Chunks.AddRange(chunks.Where(chunk => !chunk.IsInline).OrderBy(chunk => chunk.FirstSeq));
        slot.Chunks.AddRange(chunks.Where(chunk => chunk.IsInline));
        slot.Loaded(garbage);
        if (head.Session is not { } session || SessionKey.TryParse(session.Key, out _) is null)
        {
            Free(slot);
            return;
        }

        if (_slotsByKey.TryGetValue(session.Key, out var other))
        {
            // Two slots claim one key (a crash between freeing a slot and reusing another): keep the newer.
            if (other.Session!.UpdatedAt >= session.UpdatedAt)
            {
                Free(slot);
                return;
            }

            Free(other);
        }

        var messages = slot.Chunks.SelectMany(chunk => chunk.Messages).DistinctBy(message => message.Seq).OrderBy(message => message.Seq).ToList();
        if (messages.Count > options.MaxTranscriptMessages)
        {
            messages.RemoveRange(0, messages.Count - options.MaxTranscriptMessages);
            slot.DropBefore(messages[0].Seq);
        }

        session.Messages = messages;
        session.InlineMessages = null;
        if (messages.Count > 0)
        {
            session.NextSeq = Math.Max(session.NextSeq, messages[^1].Seq + 1);
        }

        slot.Session = session;
        _sessions[session.Key] = session;
        _slotsByKey[session.Key] = slot;
    }

    /// <summary>Moves a first-format state (every transcript inline in one record) into slots; written at the next save.</summary>
    private void Migrate(UserSessionsState legacy)
    {
        foreach (var (key, session) in legacy.Sessions ?? [])
        {
            if (SessionKey.TryParse(session.Key.Length > 0 ? session.Key : key, out _) is not { } parsed)
            {
                continue;
            }

            session.Key = parsed.Value;
            var messages = (session.InlineMessages ?? []).OrderBy(message => message.Seq).TakeLast(options.MaxTranscriptMessages).ToList();
            session.InlineMessages = null;
            session.Messages = messages;
            if (messages.Count > 0)
            {
                session.NextSeq = Math.Max(session.NextSeq, messages[^1].Seq + 1);
            }

            if (_slotsByKey.ContainsKey(session.Key))
            {
                continue;
            }

            AddSession(session);
        }

        _indexMark.Touch();
        _migrating = true;
    }

    private void Free(SessionSlot slot)
    {
        if (slot.Session is null && slot.Chunks.Count == 0)
        {
            return;
        }

        if (slot.Session is { } session && _slotsByKey.TryGetValue(session.Key, out var owner) && owner == slot)
        {
            _slotsByKey.Remove(session.Key);
            _sessions.Remove(session.Key);
        }

        slot.DropAll();
        slot.Session = null;
    }

    private SessionSlot? SlotOf(SessionRecord session) =>
        _slotsByKey.TryGetValue(session.Key, out var slot) && ReferenceEquals(slot.Session, session) ? slot : null;
}
