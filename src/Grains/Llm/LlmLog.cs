using Microsoft.Extensions.Logging;

namespace OpenClaw.Grains.Llm;

/// <summary>Log events of the LLM providers (ids 2100–2199).</summary>
internal static partial class LlmLog
{
    [LoggerMessage(EventId = 2100, Level = LogLevel.Debug, Message = "LLM stream starting: provider {Provider}, model {Model}, host {Host}")]
    public static partial void StreamStarting(ILogger logger, string provider, string model, string host);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Debug, Message = "LLM stream completed: provider {Provider}, model {Model}, stop {StopReason}, input {InputTokens} tokens, output {OutputTokens} tokens, {ElapsedMs} ms")]
    public static partial void StreamCompleted(ILogger logger, string provider, string model, string stopReason, int inputTokens, int outputTokens, long elapsedMs);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "LLM request failed: provider {Provider}, model {Model}, status {StatusCode}: {Reason}")]
    public static partial void RequestFailed(ILogger logger, string provider, string model, int? statusCode, string reason);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Debug, Message = "LLM stream cancelled: provider {Provider}, model {Model}")]
    public static partial void StreamCancelled(ILogger logger, string provider, string model);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Warning, Message = "LLM provider unreachable: provider {Provider}, model {Model}, host {Host}: {Detail}")]
    public static partial void ProviderUnreachable(ILogger logger, string provider, string model, string host, string detail, Exception exception);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Debug, Message = "LLM error body not shown to the tenant (not a JSON error): provider {Provider}, status {StatusCode}: {Body}")]
    public static partial void ErrorBodyNotShown(ILogger logger, string provider, int statusCode, string body);

    [LoggerMessage(EventId = 2106, Level = LogLevel.Warning, Message = "A tenant's stored API key for provider {Provider} cannot be decrypted with this key ring")]
    public static partial void KeyNotDecrypted(ILogger logger, string provider, Exception exception);
}
