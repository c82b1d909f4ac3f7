namespace OpenClaw.Grains.Gateway;

/// <summary>
/// One persisted message of a session's transcript: a user prompt, an assistant answer (which may
/// carry the <see cref="ToolCalls"/> of its turn), or a tool result (role <c>toolResult</c>). The
/// tool fields are absent from state written before tools existed, which still loads.
/// </summary>
public sealed record TranscriptMessage
{
    public const string UserRole = "user";
    public const string AssistantRole = "assistant";
    public const string ToolResultRole = "toolResult";

    /// <summary>Stable message id (a GUID), reported as <c>__openclaw.id</c>.</summary>
    public string Id { get; set; } = "";

    /// <summary>Position in the session, 1-based and never reused (also after trimming).</summary>
    public long Seq { get; set; }

    public string Role { get; set; } = UserRole;

    public string Text { get; set; } = "";

    /// <summary>Epoch milliseconds.</summary>
    public long Timestamp { get; set; }

    /// <summary>The run that produced (assistant) or was started by (user) this message.</summary>
    public string? RunId { get; set; }

    /// <summary>For user messages: <c>&lt;idempotencyKey&gt;:user</c>, as the reference gateway records it.</summary>
    public string? IdempotencyKey { get; set; }

    /// <summary>For user messages: the client that sent it (<c>client.id</c>, <c>client.mode</c> of the connection).</summary>
    public string? SenderClientId { get; set; }

    public string? SenderClientMode { get; set; }

    public string? Provider { get; set; }

    public string? Model { get; set; }

    public string? StopReason { get; set; }

    public int? InputTokens { get; set; }

    public int? OutputTokens { get; set; }

    /// <summary>For assistant messages: the tools the model called in that turn (its stop reason is <c>toolUse</c>).</summary>
    public List<TranscriptToolCall>? ToolCalls { get; set; }

    /// <summary>For tool results: the call answered.</summary>
    public string? ToolCallId { get; set; }

    /// <summary>For tool results: the tool's name.</summary>
    public string? ToolName { get; set; }

    /// <summary>For tool results: the <c>details</c> JSON object, if any.</summary>
    public string? DetailsJson { get; set; }

    /// <summary>For tool results: whether the call failed.</summary>
    public bool? IsError { get; set; }

    [System.Text.Json.Serialization.JsonIgnore]
    public bool HasToolCalls => ToolCalls is { Count: > 0 };
}
