using Microsoft.Extensions.Options;

namespace OpenClaw.Grains.Llm;

/// <summary>Rejects unusable <see cref="LlmProviderOptions"/> at startup.</summary>
public sealed class LlmProviderOptionsValidator : IValidateOptions<LlmProviderOptions>
{
    public ValidateOptionsResult Validate(string? name, LlmProviderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!IsHttpUrl(options.OpenAiBaseUrl))
        {
            failures.Add($"{nameof(LlmProviderOptions.OpenAiBaseUrl)} must be an absolute http(s) URL.");
        }

        if (!IsHttpUrl(options.AnthropicBaseUrl))
        {
            failures.Add($"{nameof(LlmProviderOptions.AnthropicBaseUrl)} must be an absolute http(s) URL.");
        }

        if (string.IsNullOrWhiteSpace(options.AnthropicVersion))
        {
            failures.Add($"{nameof(LlmProviderOptions.AnthropicVersion)} is required.");
        }

        if (options.AnthropicDefaultMaxTokens <= 0)
        {
            failures.Add($"{nameof(LlmProviderOptions.AnthropicDefaultMaxTokens)} must be positive.");
        }

        if (options.ResponseTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{nameof(LlmProviderOptions.ResponseTimeout)} must be positive.");
        }

        if (options.StreamIdleTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{nameof(LlmProviderOptions.StreamIdleTimeout)} must be positive.");
        }

        if (options.MaxToolCallsPerTurn is < 1 or > 1000)
        {
            failures.Add($"{nameof(LlmProviderOptions.MaxToolCallsPerTurn)} must be between 1 and 1000.");
        }

        if (options.MaxToolArgumentBytes is < 1024 or > 64 * 1024 * 1024)
        {
            failures.Add($"{nameof(LlmProviderOptions.MaxToolArgumentBytes)} must be between 1024 and 67108864.");
        }

        if (options.MaxEventBytes < 1024)
        {
            failures.Add($"{nameof(LlmProviderOptions.MaxEventBytes)} must be at least 1024.");
        }

        if (options.MaxErrorBodyBytes < 256)
        {
            failures.Add($"{nameof(LlmProviderOptions.MaxErrorBodyBytes)} must be at least 256.");
        }

        if (options.EchoChunkDelay < TimeSpan.Zero)
        {
            failures.Add($"{nameof(LlmProviderOptions.EchoChunkDelay)} must not be negative.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    internal static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
