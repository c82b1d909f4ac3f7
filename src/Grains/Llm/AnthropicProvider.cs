using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OpenClaw.Grains.Llm;

/// <summary>
/// Anthropic's messages API: <c>POST {baseUrl}/v1/messages</c> with <c>stream: true</c>, the
/// <c>x-api-key</c> and <c>anthropic-version</c> headers, system messages in the top-level
/// <c>system</c> field and a required <c>max_tokens</c>.
/// </summary>
internal sealed class AnthropicProvider(
    IHttpClientFactory httpClientFactory,
    IOptions<LlmProviderOptions> options,
    ILogger<AnthropicProvider> logger,
    OpenClaw.Grains.Secrets.ITenantSecretProtector? secrets = null)
    : HttpLlmProvider(httpClientFactory, options, logger, secrets)
{
    public const string ProviderName = "anthropic";
    public const string ClientName = "OpenClaw.Llm.Anthropic";

    public override string Name => ProviderName;

    protected override string HttpClientName => ClientName;

    protected override string DefaultBaseUrl => Options.AnthropicBaseUrl;

    protected override HttpRequestMessage CreateHttpRequest(LlmRequest request, string baseUrl, string apiKey)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, baseUrl + "/v1/messages")
        {
            Content = JsonContent(WriteBody(request, Options.AnthropicDefaultMaxTokens)),
        };
        message.Headers.TryAddWithoutValidation("x-api-key", apiKey);
        message.Headers.TryAddWithoutValidation("anthropic-version", Options.AnthropicVersion);
        message.Headers.Accept.ParseAdd("text/event-stream");
        return message;
    }

    internal override ILlmStreamDecoder CreateDecoder() => new AnthropicStreamDecoder();

    internal static byte[] WriteBody(LlmRequest request, int defaultMaxTokens)
    {
        var system = new StringBuilder();
        foreach (var message in request.Messages)
        {
            if (message.Role == LlmMessage.SystemRole && message.Content.Length > 0)
            {
                if (system.Length > 0)
                {
                    system.Append("\n\n");
                }

                system.Append(message.Content);
            }
        }

        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("model", request.Model);
            json.WriteNumber("max_tokens", request.MaxTokens ?? defaultMaxTokens);
            if (system.Length > 0)
            {
                json.WriteString("system", system.ToString());
            }

            json.WriteStartArray("messages");
            foreach (var message in request.Messages)
            {
                if (message.Role == LlmMessage.SystemRole)
                {
                    continue;
                }

                json.WriteStartObject();
                json.WriteString("role", message.Role);
                json.WriteString("content", message.Content);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteBoolean("stream", true);
            if (request.Temperature is { } temperature)
            {
                json.WriteNumber("temperature", temperature);
            }

            json.WriteEndObject();
        }

        return stream.ToArray();
    }
}
