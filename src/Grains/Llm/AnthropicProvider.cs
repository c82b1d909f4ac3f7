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

    internal override ILlmStreamDecoder CreateDecoder() => new AnthropicStreamDecoder(Options.MaxToolCallsPerTurn, Options.MaxToolArgumentBytes);

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
            var messages = request.Messages.Where(message => message.Role != LlmMessage.SystemRole).ToList();
            for (var i = 0; i < messages.Count; i++)
            {
                var message = messages[i];
                if (message.Role == LlmMessage.ToolRole)
                {
                    // Consecutive tool results go back as one user message of tool_result blocks.
                    json.WriteStartObject();
                    json.WriteString("role", LlmMessage.UserRole);
                    json.WriteStartArray("content");
                    for (; i < messages.Count && messages[i].Role == LlmMessage.ToolRole; i++)
                    {
                        WriteToolResult(json, messages[i]);
                    }

                    i--;
                    json.WriteEndArray();
                    json.WriteEndObject();
                    continue;
                }

                json.WriteStartObject();
                json.WriteString("role", message.Role);
                if (message.ToolCalls is { Count: > 0 } calls)
                {
                    json.WriteStartArray("content");
                    if (message.Content.Length > 0)
                    {
                        json.WriteStartObject();
                        json.WriteString("type", "text");
                        json.WriteString("text", message.Content);
                        json.WriteEndObject();
                    }

                    foreach (var call in calls)
                    {
                        json.WriteStartObject();
                        json.WriteString("type", "tool_use");
                        json.WriteString("id", call.Id);
                        json.WriteString("name", call.Name);
                        json.WritePropertyName("input");
                        WriteInputObject(json, call.ArgumentsJson);
                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                }
                else
                {
                    json.WriteString("content", message.Content);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            WriteTools(json, request);
            json.WriteBoolean("stream", true);
            if (request.Temperature is { } temperature)
            {
                json.WriteNumber("temperature", temperature);
            }

            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static void WriteToolResult(Utf8JsonWriter json, LlmMessage result)
    {
        json.WriteStartObject();
        json.WriteString("type", "tool_result");
        json.WriteString("tool_use_id", result.ToolCallId);
        json.WriteStartArray("content");
        json.WriteStartObject();
        json.WriteString("type", "text");
        json.WriteString("text", result.Content);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteBoolean("is_error", result.IsError);
        json.WriteEndObject();
    }

    /// <summary>The call's arguments as the <c>input</c> object Anthropic requires; arguments that are not a JSON object go as <c>{}</c>.</summary>
    private static void WriteInputObject(Utf8JsonWriter json, string argumentsJson)
    {
        try
        {
            using var document = JsonDocument.Parse(argumentsJson);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                document.RootElement.WriteTo(json);
                return;
            }
        }
        catch (JsonException)
        {
            // The model sent broken arguments; it was told so in the call's result.
        }

        json.WriteStartObject();
        json.WriteEndObject();
    }

    /// <summary><c>tools:[{name, description, input_schema}]</c> sorted by name, and <c>tool_choice:{type:"auto"}</c>.</summary>
    private static void WriteTools(Utf8JsonWriter json, LlmRequest request)
    {
        if (request.Tools is not { Count: > 0 } tools)
        {
            return;
        }

        json.WriteStartArray("tools");
        foreach (var tool in tools.OrderBy(tool => tool.Name, StringComparer.Ordinal))
        {
            json.WriteStartObject();
            json.WriteString("name", tool.Name);
            json.WriteString("description", tool.Description);
            json.WritePropertyName("input_schema");
            json.WriteRawValue(tool.ParametersJson);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        if (request.ToolChoice is { } choice)
        {
            json.WriteStartObject("tool_choice");
            json.WriteString("type", choice);
            json.WriteEndObject();
        }
    }
}
