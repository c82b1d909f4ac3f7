using System.Text;

namespace OpenClaw.Grains.Gateway;

/// <summary>
/// A run in progress (queued behind its session's previous run, or streaming). Touched only on
/// the activation's context. <see cref="Outcome"/> is set exactly once, by whoever ends the run
/// first (the run itself, <c>chat.abort</c>, or deactivation); after that the run emits nothing.
/// </summary>
internal sealed class ChatRun
{
    private readonly TaskCompletionSource<RunOutcome> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _seq;

    public ChatRun(string runId, string method, SessionKey sessionKey, string prompt, RunKind kind, long acceptedAt, TimeSpan timeout, TimeProvider time)
    {
        RunId = runId;
        Method = method;
        SessionKey = sessionKey;
        Prompt = prompt;
        Kind = kind;
        AcceptedAt = acceptedAt;
        Timeout = timeout;
        Cancellation = new CancellationTokenSource(timeout, time);
        ItemId = $"{Guid.NewGuid()}:1";
    }

    public string RunId { get; }

    /// <summary>The method that accepted the run (<c>chat.send</c> or <c>agent</c>); with the run id (the idempotency key) it names the acknowledgement.</summary>
    public string Method { get; }

    /// <summary>The JSON payload of the acknowledgement (set when the run is accepted).</summary>
    public string Acknowledgement { get; set; } = "";

    public SessionKey SessionKey { get; }

    public string Prompt { get; }

    public RunKind Kind { get; }

    public long AcceptedAt { get; }

    /// <summary>The client that asked for the run (recorded with the prompt).</summary>
    public string? ClientId { get; init; }

    public string? ClientMode { get; init; }

    public bool IsHeartbeat { get; init; }

    /// <summary>How long the run may take from being accepted.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>Cancelled by abort and, through its timer, by the run timeout.</summary>
    public CancellationTokenSource Cancellation { get; }

    /// <summary>The assistant item id reported in <c>agent</c> assistant events.</summary>
    public string ItemId { get; }

    /// <summary>Completes when the run has ended and its events and transcript are written.</summary>
    public Task<RunOutcome> Completion => _completion.Task;

    /// <summary>Completes when the runs queued before this one on its session have ended.</summary>
    public Task QueueGate { get; set; } = Task.CompletedTask;

    /// <summary>Set when the run left the queue and started.</summary>
    public long? StartedAt { get; set; }

    public bool IsQueued => StartedAt is null && Outcome is null;

    /// <summary>The session id the run writes to (known once started).</summary>
    public string SessionId { get; set; } = "";

    public string? Provider { get; set; }

    public string? Model { get; set; }

    /// <summary>The answer so far.</summary>
    public StringBuilder Text { get; } = new();

    /// <summary>How much of the answer the live events have carried, and when.</summary>
    public LiveTextState LiveText { get; } = new();

    public RunOutcome? Outcome { get; private set; }

    public bool IsEnded => Outcome is not null;

    /// <summary>Numbering of the run's <c>agent</c> events (and of the <c>chat</c> events derived from them).</summary>
    public int NextSeq() => ++_seq;

    /// <summary>Records the outcome; false when the run had already ended.</summary>
    public bool TryEnd(RunOutcome outcome)
    {
        if (Outcome is not null)
        {
            return false;
        }

        Outcome = outcome;
        return true;
    }

    /// <summary>Wakes whoever waits for the outcome (after the events and the transcript are done).</summary>
    public void SignalCompletion()
    {
        if (Outcome is { } outcome)
        {
            _completion.TrySetResult(outcome);
        }
    }
}
