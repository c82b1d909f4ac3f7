namespace OpenClaw.Grains.Llm;

/// <summary>A chat request: the model to run and the conversation so far.</summary>
public sealed record LlmRequest(
    string Model,
    IReadOnlyList<LlmMessage> Messages,
    int? MaxTokens = null,
    double? Temperature = null);
