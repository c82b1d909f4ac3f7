namespace OpenClaw.Grains.Gateway;

/// <summary>
/// Operations on the tenant's sessions (in <see cref="IUserStateStore.Sessions"/>): lookup,
/// creation, bounded transcript append, reset and delete. Tells the state store what changed;
/// saving is the caller's decision.
/// </summary>
internal sealed class SessionStore(IUserStateStore state, int maxTranscriptMessages, int maxSessions, TimeProvider time)
{
    /// <summary>Answers to idempotency keys kept per session (the newest; each for the idempotency window).</summary>
    public const int MaxAcknowledgements = 32;

    private IReadOnlyDictionary<string, SessionRecord> Sessions => state.Sessions;

    public int Count => Sessions.Count;

    public SessionRecord? Find(SessionKey key) => Sessions.GetValueOrDefault(key.Value);

    /// <summary>Sessions, most recently updated first.</summary>
    public IEnumerable<SessionRecord> ListByRecency() =>
        Sessions.Values.OrderByDescending(session => session.UpdatedAt).ThenBy(session => session.Key, StringComparer.Ordinal);

    /// <summary>
    /// The session for <paramref name="key"/>, created if needed. Creating one beyond the session
    /// limit drops the least recently updated session that <paramref name="isBusy"/> says is idle.
    /// </summary>
    public SessionRecord GetOrCreate(SessionKey key, Func<string, bool> isBusy)
    {
        if (Sessions.TryGetValue(key.Value, out var existing))
        {
            return existing;
        }

        var now = NowMs();
        var session = new SessionRecord
        {
            Key = key.Value,
            AgentId = key.AgentId,
            SessionId = Guid.NewGuid().ToString(),
            CreatedAt = now,
            UpdatedAt = now,
        };

        while (Sessions.Count >= maxSessions)
        {
            var victim = Sessions.Values
                .Where(candidate => !isBusy(candidate.Key))
                .OrderBy(candidate => candidate.UpdatedAt)
                .FirstOrDefault();
            if (victim is null)
            {
                break;
            }

            state.RemoveSession(victim.Key);
        }

        state.AddSession(session);
        return session;
    }

    /// <summary>Appends a message (assigning its seq) and drops the oldest beyond the transcript limit.</summary>
    public TranscriptMessage Append(SessionRecord session, TranscriptMessage message)
    {
        message.Seq = session.NextSeq++;
        if (message.Id.Length == 0)
        {
            message.Id = Guid.NewGuid().ToString();
        }

        session.Messages.Add(message);
        session.UpdatedAt = Math.Max(session.UpdatedAt, message.Timestamp);
        state.MessageAppended(session, message);
        var excess = session.Messages.Count - maxTranscriptMessages;
        if (excess > 0)
        {
            session.Messages.RemoveRange(0, excess);
            state.MessagesTrimmed(session);
        }

        return message;
    }

    /// <summary>Empties the transcript and gives the session a new id (the key stays).</summary>
    public SessionRecord Reset(SessionKey key)
    {
        var now = NowMs();
        var session = new SessionRecord
        {
            Key = key.Value,
            AgentId = key.AgentId,
            SessionId = Guid.NewGuid().ToString(),
            CreatedAt = Sessions.TryGetValue(key.Value, out var previous) ? previous.CreatedAt : now,
            UpdatedAt = now,
            Label = previous?.Label,
            Acknowledgements = previous?.Acknowledgements,
        };
        state.ReplaceSession(session);
        return session;
    }

    public bool Delete(SessionKey key)
    {
        if (!Sessions.ContainsKey(key.Value))
        {
            return false;
        }

        state.RemoveSession(key.Value);
        return true;
    }

    /// <summary>Keeps the first answer to an idempotency key of a run of <paramref name="session"/> (dropping expired and the oldest beyond the limit).</summary>
    public void RememberAcknowledgement(SessionRecord session, AcknowledgementRecord acknowledgement)
    {
        var now = NowMs();
        var kept = (session.Acknowledgements ?? [])
            .Where(entry => entry.ExpiresAt > now && !(entry.Method == acknowledgement.Method && entry.IdempotencyKey == acknowledgement.IdempotencyKey))
            .Append(acknowledgement)
            .TakeLast(MaxAcknowledgements)
            .ToList();
        session.Acknowledgements = kept;
        state.SessionChanged(session);
    }

    /// <summary>Records a change of <paramref name="session"/>'s fields (and that it was used now).</summary>
    public void Touch(SessionRecord session)
    {
        session.UpdatedAt = Math.Max(session.UpdatedAt, NowMs());
        state.SessionChanged(session);
    }

    private long NowMs() => time.GetUtcNow().ToUnixTimeMilliseconds();
}
