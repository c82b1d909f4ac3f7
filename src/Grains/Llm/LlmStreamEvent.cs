namespace OpenClaw.Grains.Llm;

/// <summary>
/// What a provider's stream yields: any number of <see cref="LlmTextDelta"/> and
/// <see cref="LlmToolCall"/> (each call once, when complete), then exactly one
/// <see cref="LlmCompleted"/> when the stream succeeded. A failed stream throws
/// <see cref="LlmProviderException"/> instead of completing.
/// </summary>
public abstract record LlmStreamEvent;

/// <summary>A piece of the assistant's answer, in order.</summary>
public sealed record LlmTextDelta(string Text) : LlmStreamEvent;

/// <summary>The last event of a successful stream: why the model stopped and what it used.</summary>
public sealed record LlmCompleted(string StopReason, LlmUsage Usage) : LlmStreamEvent
{
    /// <summary>The normalised stop reason of a turn that ended to call tools.</summary>
    public const string ToolUse = "toolUse";
}

/// <summary>
/// A complete tool call of the model: its id, the tool name and the arguments as JSON text (as the
/// model sent them; not necessarily valid). <see cref="Invalid"/> says why the call cannot run
/// (arguments too large), and the agent answers it with an error result instead.
/// </summary>
public sealed record LlmToolCall(string Id, string Name, string ArgumentsJson) : LlmStreamEvent
{
    public string? Invalid { get; init; }
}
