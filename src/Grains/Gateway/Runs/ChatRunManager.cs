namespace OpenClaw.Grains.Gateway;

/// <summary>
/// The tenant's runs: those in progress (one at a time per session, later ones queue behind it),
/// the outcomes of recent ones, and the idempotency answers of <c>chat.send</c> and <c>agent</c>.
/// </summary>
internal sealed class ChatRunManager
{
    private readonly GatewayContext _context;
    private readonly Dictionary<string, ChatRun> _active = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ChatRun> _sessionTails = new(StringComparer.Ordinal);
    private readonly ExpiringCache<RunOutcome> _outcomes;
    private readonly ExpiringCache<string> _acknowledgements;
    private readonly ChatRunExecutor _executor;

    public ChatRunManager(GatewayContext context)
    {
        _context = context;
        _outcomes = new ExpiringCache<RunOutcome>(context.Options.RunOutcomeRetention, context.Options.IdempotencyMaxEntries, context.Time);
        _acknowledgements = new ExpiringCache<string>(context.Options.IdempotencyWindow, context.Options.IdempotencyMaxEntries, context.Time);
        Events = new RunEventPublisher(context);
        _executor = new ChatRunExecutor(context, Events);
    }

    public RunEventPublisher Events { get; }

    /// <summary>Runs running or queued.</summary>
    public int ActiveCount => _active.Count;

    public IEnumerable<ChatRun> ActiveRuns => _active.Values;

    public IReadOnlyList<string> ActiveRunIds(string sessionKey) =>
        _active.Values.Where(run => run.SessionKey.Value == sessionKey).Select(run => run.RunId).ToList();

    public bool IsSessionBusy(string sessionKey) => _active.Values.Any(run => run.SessionKey.Value == sessionKey);

    public ChatRun? FindActive(string runId) => _active.GetValueOrDefault(runId);

    public RunOutcome? FindOutcome(string runId) => _outcomes.TryGet(runId, out var outcome) ? outcome : null;

    /// <summary>The answer given to an earlier request with the same method and idempotency key.</summary>
    public bool TryGetAcknowledgement(string method, string idempotencyKey, out string payloadJson) =>
        _acknowledgements.TryGet(AcknowledgementKey(method, idempotencyKey), out payloadJson);

    /// <summary>Remembers the first answer until <paramref name="expiresAtMs"/> (epoch ms).</summary>
    public void RememberAcknowledgement(string method, string idempotencyKey, string payloadJson, long expiresAtMs) =>
        _acknowledgements.Set(AcknowledgementKey(method, idempotencyKey), payloadJson, DateTimeOffset.FromUnixTimeMilliseconds(expiresAtMs));

    /// <summary>Keeps the outcome of a run that ended elsewhere (one interrupted by a restart) for <c>agent.wait</c>.</summary>
    public void RememberOutcome(RunOutcome outcome) => _outcomes.Set(outcome.RunId, outcome);

    /// <summary>
    /// Registers a run (queued behind its session's current run, if any) without starting it: the
    /// caller stores it first, then <see cref="Launch"/>es it, or <see cref="Reject"/>s it when it
    /// could not be stored.
    /// </summary>
    public ChatRun Accept(string runId, string method, SessionKey sessionKey, string prompt, RunKind kind, TimeSpan timeout, string? clientId = null, string? clientMode = null, bool isHeartbeat = false)
    {
        var run = new ChatRun(runId, method, sessionKey, prompt, kind, _context.NowMs(), timeout, _context.Time)
        {
            ClientId = clientId,
            ClientMode = clientMode,
            IsHeartbeat = isHeartbeat,
        };
        if (_sessionTails.TryGetValue(sessionKey.Value, out var tail) && !(tail.Completion.IsCompleted && tail.QueueGate.IsCompleted))
        {
            // Behind the previous run and everything it was itself queued behind (it may have been aborted while queued).
            run.QueueGate = Task.WhenAll(tail.QueueGate, tail.Completion);
        }

        _sessionTails[sessionKey.Value] = run;
        _active[runId] = run;
        if (_active.Count == 1)
        {
            _context.RunsActiveChanged?.Invoke(true);
        }

        return run;
    }

    /// <summary>Starts an accepted run in the background; it continues on the activation's context after this turn answers.</summary>
    public void Launch(ChatRun run)
    {
        UserGrainLog.RunAccepted(_context.Logger, _context.TenantId, run.RunId, run.SessionKey.Value, run.Kind, !run.QueueGate.IsCompleted);
        _ = _executor.ExecuteAsync(run);
    }

    /// <summary>Drops an accepted run that could not be stored: nothing was acknowledged, nothing is emitted.</summary>
    public void Reject(ChatRun run)
    {
        if (!run.TryEnd(_executor.Ended(run, RunStatus.Error, errorMessage: "The message could not be stored.", errorKind: "internal")))
        {
            return;
        }

        OnRunEnded(run, run.Outcome!);
        _context.State.RemovePendingRun(run.RunId);
        run.Cancellation.Dispose();
        run.SignalCompletion();
    }

    /// <summary>Aborts the runs of a session (or just <paramref name="runId"/> if it belongs to it); returns the aborted run ids once their end is stored and announced.</summary>
    public async Task<IReadOnlyList<string>> AbortAsync(SessionKey sessionKey, string? runId, string stopReason)
    {
        var targets = _active.Values
            .Where(run => run.SessionKey.Value == sessionKey.Value && (runId is null || run.RunId == runId))
            .ToList();
        await Task.WhenAll(targets.Select(run => AbortAsync(run, stopReason)).ToList());
        return targets.Select(run => run.RunId).ToList();
    }

    /// <summary>Aborts every run (deactivation).</summary>
    public Task AbortAllAsync(string stopReason) =>
        Task.WhenAll(_active.Values.ToList().Select(run => AbortAsync(run, stopReason)).ToList());

    /// <summary>Waits for a run's outcome; null when <paramref name="timeout"/> passes first.</summary>
    public async Task<RunOutcome?> WaitAsync(ChatRun run, TimeSpan timeout)
    {
        try
        {
            return await run.Completion.WaitAsync(timeout, _context.Time);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    /// <summary>Called by the executor once a run has ended.</summary>
    public void OnRunEnded(ChatRun run, RunOutcome outcome)
    {
        _outcomes.Set(run.RunId, outcome);
        if (_active.Remove(run.RunId) && _active.Count == 0)
        {
            _context.RunsActiveChanged?.Invoke(false);
        }

        if (_sessionTails.TryGetValue(run.SessionKey.Value, out var tail) && ReferenceEquals(tail, run) && run.QueueGate.IsCompleted)
        {
            _sessionTails.Remove(run.SessionKey.Value);
        }
    }

    private Task AbortAsync(ChatRun run, string stopReason)
    {
        // Ends the run before cancelling it: the executor then sees an ended run and adds nothing.
        var finishing = _executor.FinishAsync(run, _executor.Ended(run, RunStatus.Aborted, stopReason: stopReason));
        try
        {
            run.Cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The run's executor already finished.
        }

        return finishing;
    }

    private static string AcknowledgementKey(string method, string idempotencyKey) => $"{method}\n{idempotencyKey}";
}
