using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OpenClaw.Grains.Llm;

/// <summary>
/// Any OpenAI-compatible chat completions endpoint: <c>POST {baseUrl}/chat/completions</c> with
/// <c>stream: true</c> and <c>stream_options.include_usage</c>, authenticated with a bearer key.
/// </summary>
internal sealed class OpenAiProvider(
    IHttpClientFactory httpClientFactory,
    IOptions<LlmProviderOptions> options,
    ILogger<OpenAiProvider> logger,
    OpenClaw.Grains.Secrets.ITenantSecretProtector? secrets = null)
    : HttpLlmProvider(httpClientFactory, options, logger, secrets)
{
    public const string ProviderName = "openai";
    public const string ClientName = "OpenClaw.Llm.OpenAI";

    public override string Name => ProviderName;

    protected override string HttpClientName => ClientName;

    protected override string DefaultBaseUrl => Options.OpenAiBaseUrl;

    protected override HttpRequestMessage CreateHttpRequest(LlmRequest request, string baseUrl, string apiKey)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, baseUrl + "/chat/completions")
        {
            Content = JsonContent(WriteBody(request)),
        };
        message.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
        message.Headers.Accept.ParseAdd("text/event-stream");
        return message;
    }

    internal override ILlmStreamDecoder CreateDecoder() => new OpenAiStreamDecoder();

    internal static byte[] WriteBody(LlmRequest request)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("model", request.Model);
            json.WriteStartArray("messages");
            foreach (var message in request.Messages)
            {
                json.WriteStartObject();
                json.WriteString("role", message.Role);
                json.WriteString("content", message.Content);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteBoolean("stream", true);
            json.WriteStartObject("stream_options");
            json.WriteBoolean("include_usage", true);
            json.WriteEndObject();
            if (request.MaxTokens is { } maxTokens)
            {
                json.WriteNumber("max_tokens", maxTokens);
            }

            if (request.Temperature is { } temperature)
            {
                json.WriteNumber("temperature", temperature);
            }

            json.WriteEndObject();
        }

        return stream.ToArray();
    }
}
