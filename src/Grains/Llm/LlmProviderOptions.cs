namespace OpenClaw.Grains.Llm;

/// <summary>Timeouts and defaults shared by the LLM providers (section <c>Llm</c> of the configuration).</summary>
public sealed class LlmProviderOptions
{
    public const string SectionName = "Llm";

    /// <summary>The OpenAI-compatible base URL used when a tenant's config names none.</summary>
    public string OpenAiBaseUrl { get; set; } = "https://api.openai.com/v1";

    /// <summary>The Anthropic base URL used when a tenant's config names none.</summary>
    public string AnthropicBaseUrl { get; set; } = "https://api.anthropic.com";

    /// <summary>The <c>anthropic-version</c> header sent with every Anthropic request.</summary>
    public string AnthropicVersion { get; set; } = "2023-06-01";

    /// <summary><c>max_tokens</c> for Anthropic requests that set none (Anthropic requires it).</summary>
    public int AnthropicDefaultMaxTokens { get; set; } = 1024;

    /// <summary>How long to wait for the provider's response headers.</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>The longest silence allowed between two events of a stream.</summary>
    public TimeSpan StreamIdleTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>The largest single server-sent event accepted; a larger one fails the stream as malformed.</summary>
    public int MaxEventBytes { get; set; } = 1024 * 1024;

    /// <summary>How much of an error response body is read to find the provider's error message.</summary>
    public int MaxErrorBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Tool calls one model turn may make; a stream with more fails (a model server cannot make the agent run thousands of calls at once).</summary>
    public int MaxToolCallsPerTurn { get; set; } = DefaultMaxToolCallsPerTurn;

    /// <summary>Bytes of arguments one tool call may stream; a larger call is answered with an error result instead of being run.</summary>
    public int MaxToolArgumentBytes { get; set; } = DefaultMaxToolArgumentBytes;

    public const int DefaultMaxToolCallsPerTurn = 32;
    public const int DefaultMaxToolArgumentBytes = 256 * 1024;

    /// <summary>The pause between two chunks of the echo provider's answer (zero: just yield).</summary>
    public TimeSpan EchoChunkDelay { get; set; } = TimeSpan.FromMilliseconds(15);
}
