namespace OpenClaw.Grains.Llm;

/// <summary>
/// One message of a conversation. <see cref="Role"/> is <c>system</c>, <c>user</c>,
/// <c>assistant</c> (whose <see cref="ToolCalls"/> are the tools it called) or <c>tool</c> (the
/// result of the call <see cref="ToolCallId"/>, with <see cref="Content"/> as its text).
/// </summary>
public sealed record LlmMessage(string Role, string Content)
{
    public const string SystemRole = "system";
    public const string UserRole = "user";
    public const string AssistantRole = "assistant";
    public const string ToolRole = "tool";

    /// <summary>For assistant messages: the tool calls the model made in that turn, in order.</summary>
    public IReadOnlyList<LlmToolCall>? ToolCalls { get; init; }

    /// <summary>For tool messages: the call this is the result of.</summary>
    public string? ToolCallId { get; init; }

    /// <summary>For tool messages: the name of the tool that was called.</summary>
    public string? ToolName { get; init; }

    /// <summary>For tool messages: the call failed (Anthropic's <c>is_error</c>).</summary>
    public bool IsError { get; init; }

    /// <summary>A tool result message.</summary>
    public static LlmMessage ToolResult(string toolCallId, string toolName, string text, bool isError) =>
        new(ToolRole, text) { ToolCallId = toolCallId, ToolName = toolName, IsError = isError };
}
