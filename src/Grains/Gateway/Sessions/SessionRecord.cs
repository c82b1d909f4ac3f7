using System.Text.Json.Serialization;

namespace OpenClaw.Grains.Gateway;

/// <summary>
/// A session: its identity, bounded transcript and the outcome of its last run. Persisted as the
/// head of its slot (<see cref="SessionHeadRecord"/>); the transcript is kept in chunk records.
/// </summary>
public sealed class SessionRecord
{
    public const string StatusRunning = "running";
    public const string StatusDone = "done";
    public const string StatusFailed = "failed";
    public const string StatusAborted = "aborted";

    /// <summary>Canonical key, <c>agent:&lt;agentId&gt;:&lt;name&gt;</c>.</summary>
    public string Key { get; set; } = "";

    public string AgentId { get; set; } = SessionKey.DefaultAgentId;

    /// <summary>Changes when the session is reset.</summary>
    public string SessionId { get; set; } = "";

    public long CreatedAt { get; set; }

    public long UpdatedAt { get; set; }

    public long? LastInteractionAt { get; set; }

    /// <summary>Seq of the next message appended.</summary>
    public long NextSeq { get; set; } = 1;

    /// <summary>The most recent messages, oldest first (bounded by <c>MaxTranscriptMessages</c>); stored in chunk records, not with the session.</summary>
    [JsonIgnore]
    public List<TranscriptMessage> Messages { get; set; } = [];

    /// <summary>The transcript as the first state format stored it, inline; read only to migrate it.</summary>
    [JsonPropertyName("messages")]
    public List<TranscriptMessage>? InlineMessages { get; set; }

    public string? Label { get; set; }

    public string? Status { get; set; }

    public string? LastRunId { get; set; }

    public string? LastRunError { get; set; }

    /// <summary>
    /// The first answers to the idempotency keys of this session's recent runs (the newest
    /// <see cref="SessionStore.MaxAcknowledgements"/>, unexpired), so that a retry after a restart
    /// gets the same answer and starts nothing.
    /// </summary>
    public List<AcknowledgementRecord>? Acknowledgements { get; set; }

    /// <summary>The last run whose end was recorded here (after a crash: that run is not interrupted).</summary>
    public string? LastEndedRunId { get; set; }

    public bool AbortedLastRun { get; set; }

    public long? StartedAt { get; set; }

    public long? EndedAt { get; set; }

    /// <summary>Tokens of the last completed run.</summary>
    public int InputTokens { get; set; }

    public int OutputTokens { get; set; }

    /// <summary>The provider and model that answered last.</summary>
    public string? Provider { get; set; }

    public string? Model { get; set; }

    [JsonIgnore]
    public string? LastMessagePreview =>
        Messages.Count == 0 ? null : Preview(Messages[^1].Text);

    private static string Preview(string text)
    {
        const int MaxPreview = 160;
        var singleLine = text.ReplaceLineEndings(" ").Trim();
        return singleLine.Length <= MaxPreview ? singleLine : string.Concat(singleLine.AsSpan(0, MaxPreview), "…");
    }
}
