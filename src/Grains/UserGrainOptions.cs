namespace OpenClaw.Grains;

/// <summary>
/// Settings of every tenant's UserGrain (configuration section <c>multiTenant:userGrain</c>).
/// </summary>
public sealed class UserGrainOptions
{
    public const string SectionName = "multiTenant:userGrain";

    public const long DefaultMaxStoredBytes = 50L * 1024 * 1024;
    public const long DefaultMaxRunEventBytes = 16L * 1024 * 1024;
    public const int DefaultMaxAnswerChars = 1_000_000;
    public const int DefaultMaxLiveTextChars = 500_000;
    public static readonly TimeSpan DefaultLiveTextPacing = TimeSpan.FromMilliseconds(75);
    public const int DefaultMaxToolRounds = 16;
    public static readonly TimeSpan DefaultToolTimeout = TimeSpan.FromMinutes(5);
    public const int DefaultMaxToolResultChars = 16_000;
    public const int DefaultMaxToolEventChars = 8_000;
    public const int DefaultMaxToolDetailsBytes = 64 * 1024;
    public static readonly TimeSpan DefaultToolUpdateInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Messages kept per session transcript; older ones are dropped (the seq keeps counting).</summary>
    public int MaxTranscriptMessages { get; set; } = 200;

    /// <summary>Sessions kept per tenant; the least recently updated idle session is dropped beyond it.</summary>
    public int MaxSessions { get; set; } = 100;

    /// <summary>Most recent transcript messages sent to the model with a new prompt.</summary>
    public int MaxContextMessages { get; set; } = 40;

    /// <summary>Longest prompt accepted by <c>chat.send</c> and <c>agent</c>, in characters.</summary>
    public int MaxMessageChars { get; set; } = 100_000;

    /// <summary>Longest a run may take (a client's smaller <c>timeoutMs</c> wins); then it fails with a timeout error.</summary>
    public TimeSpan RunTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The tenant's nodes, node invokes, the exec tool and exec approvals.</summary>
    public NodeOptions Nodes { get; set; } = new();

    /// <summary>
    /// Longest answer kept, in characters: a model that goes on is cut there and the run ends with
    /// stop reason <c>length</c>.
    /// </summary>
    public int MaxAnswerChars { get; set; } = DefaultMaxAnswerChars;

    /// <summary>
    /// Bytes the tenant's stored state may take (sessions, transcripts, pending runs, answers to
    /// idempotency keys, profile). Beyond it new prompts are refused (not retryable) until sessions
    /// are deleted or reset; what was already acknowledged is always stored.
    /// </summary>
    public long MaxStoredBytes { get; set; } = DefaultMaxStoredBytes;

    /// <summary>
    /// At most one live text event pair (<c>agent</c> assistant, <c>chat</c> delta) per run in this
    /// interval; text arriving sooner is merged into the next one, as the reference gateway paces it.
    /// </summary>
    public TimeSpan LiveTextPacing { get; set; } = DefaultLiveTextPacing;

    /// <summary>A <c>chat</c> delta carries at most the last this many characters of the answer (the reference's live buffer cap).</summary>
    public int MaxLiveTextChars { get; set; } = DefaultMaxLiveTextChars;

    /// <summary>Event bytes one run may publish; past it the run sends no more text events, and its final still carries the whole answer.</summary>
    public long MaxRunEventBytes { get; set; } = DefaultMaxRunEventBytes;

    /// <summary>Runs (running or queued behind another run of their session) per tenant; more are refused as UNAVAILABLE.</summary>
    public int MaxConcurrentRuns { get; set; } = 4;

    /// <summary><c>max_tokens</c> sent to the provider (null: the provider's default).</summary>
    public int? MaxOutputTokens { get; set; }

    /// <summary>How long a repeated <c>idempotencyKey</c> returns the first answer (the reference gateway: 5 min, 1000 entries).</summary>
    public TimeSpan IdempotencyWindow { get; set; } = TimeSpan.FromMinutes(5);

    public int IdempotencyMaxEntries { get; set; } = 1000;

    /// <summary>How long finished runs' outcomes stay available to <c>agent.wait</c> and the final <c>agent</c> response.</summary>
    public TimeSpan RunOutcomeRetention { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The longest a call waits for a run inside the grain (<c>agent.final</c>, <c>agent.wait</c>).
    /// Must stay below the runtime's response timeout (30 s by default): an <c>agent.final</c>
    /// that is cut short answers "still running" with <c>FinalPending</c> and the edge asks again.
    /// </summary>
    public TimeSpan MaxCallWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Daily usage buckets kept in the tenant's usage record.</summary>
    public int UsageRetentionDays { get; set; } = 62;

    /// <summary>Context window reported to clients for the tenant's model.</summary>
    public int ContextTokens { get; set; } = 128_000;

    /// <summary>The server version reported in <c>status.runtimeVersion</c> (the edge reports the same in hello-ok).</summary>
    public string RuntimeVersion { get; set; } = "2026.9.6";

    /// <summary>Workspace file whose text is the agent's identity and default system prompt.</summary>
    public string IdentityFile { get; set; } = "IDENTITY.md";

    /// <summary>
    /// Model turns that call tools, per run. A model that asks for tools once more after this many
    /// rounds ends the run with an error (<c>errorKind:"tool_loop"</c>) instead of looping forever.
    /// </summary>
    public int MaxToolRounds { get; set; } = DefaultMaxToolRounds;

    /// <summary>Longest one tool call may take; then it is cancelled and the model gets a timeout error result.</summary>
    public TimeSpan ToolTimeout { get; set; } = DefaultToolTimeout;

    /// <summary>Characters of a tool's result text sent to the model and stored; longer text is cut with a marker.</summary>
    public int MaxToolResultChars { get; set; } = DefaultMaxToolResultChars;

    /// <summary>Characters of a tool result's text in tool events (the reference: 8000, then <c>…(truncated)…</c>).</summary>
    public int MaxToolEventChars { get; set; } = DefaultMaxToolEventChars;

    /// <summary>Bytes of a tool result's <c>details</c> stored and sent; larger details are replaced by <c>{truncated:true}</c>.</summary>
    public int MaxToolDetailsBytes { get; set; } = DefaultMaxToolDetailsBytes;

    /// <summary>At most one tool <c>update</c> event per call in this interval; updates arriving sooner are dropped.</summary>
    public TimeSpan ToolUpdateInterval { get; set; } = DefaultToolUpdateInterval;

    /// <summary>
    /// The operator's tool policy per tenant plan (<c>profile</c>, <c>allow</c>, <c>deny</c>); the key
    /// <c>*</c> applies to plans not listed. A tenant's own <c>tools</c> config can only narrow it.
    /// </summary>
    public Dictionary<string, Gateway.ToolsConfig> ToolPlans { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>Bounds of the tenant's scheduled jobs and heartbeat.</summary>
    public Gateway.Cron.CronOptions Cron { get; set; } = new();
}
