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
        _acknowledgements.TryGet($"{method}\n{idempotencyKey}", out payloadJson);

    public void RememberAcknowledgement(string method, string idempotencyKey, string payloadJson) =>
        _acknowledgements.Set($"{method}\n{idempotencyKey}", payloadJson);

    /// <summary>Accepts a run and starts it in the background (queued behind its session's current run, if any).</summary>
    public ChatRun Start(string runId, SessionKey sessionKey, string prompt, RunKind kind, TimeSpan timeout, string? clientId = null, string? clientMode = null)
    {
        var run = new ChatRun(runId, sessionKey, prompt, kind, _context.NowMs(), timeout, _context.Time)
        {
            ClientId = clientId,
            ClientMode = clientMode,
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

        UserGrainLog.RunAccepted(_context.Logger, _context.TenantId, runId, sessionKey.Value, kind, !run.QueueGate.IsCompleted);

        // Not awaited: the run continues on the activation's context after this turn answers.
        _ = _executor.ExecuteAsync(run);
        return run;
    }

    /// <summary>Aborts the runs of a session (or just <paramref name="runId"/> if it belongs to it); returns the aborted run ids.</summary>
    public IReadOnlyList<string> Abort(SessionKey sessionKey, string? runId, string stopReason)
    {
        var targets = _active.Values
            .Where(run => run.SessionKey.Value == sessionKey.Value && (runId is null || run.RunId == runId))
            .ToList();
        foreach (var run in targets)
        {
            Abort(run, stopReason);
        }

        return targets.Select(run => run.RunId).ToList();
    }

    /// <summary>Aborts every run (deactivation).</summary>
    public void AbortAll(string stopReason)
    {
        foreach (var run in _active.Values.ToList())
        {
            Abort(run, stopReason);
        }
    }

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

    private void Abort(ChatRun run, string stopReason)
    {
        _executor.Finish(run, _executor.Ended(run, RunStatus.Aborted, stopReason: stopReason));
        try
        {
            run.Cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The run's executor already finished.
        }
    }
}
