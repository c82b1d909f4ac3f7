namespace OpenClaw.Grains.Llm;

/// <summary>Token usage as reported by the provider (estimated by the echo provider).</summary>
public sealed record LlmUsage(int InputTokens, int OutputTokens)
{
    public static readonly LlmUsage None = new(0, 0);

    public int TotalTokens => InputTokens + OutputTokens;
}
