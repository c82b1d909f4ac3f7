namespace OpenClaw.Grains.Llm;

/// <summary>A chat request: the model to run, the conversation so far and the tools the model may call.</summary>
public sealed record LlmRequest(
    string Model,
    IReadOnlyList<LlmMessage> Messages,
    int? MaxTokens = null,
    double? Temperature = null)
{
    public const string ToolChoiceAuto = "auto";

    /// <summary>The tools offered to the model (null or empty: none).</summary>
    public IReadOnlyList<LlmToolDefinition>? Tools { get; init; }

    /// <summary><c>auto</c> (the model decides) when tools are offered; null sends none.</summary>
    public string? ToolChoice { get; init; }

    /// <summary>True when the conversation already holds tool calls or results.</summary>
    public bool HasToolHistory => Messages.Any(message => message.Role == LlmMessage.ToolRole || message.ToolCalls is { Count: > 0 });
}
