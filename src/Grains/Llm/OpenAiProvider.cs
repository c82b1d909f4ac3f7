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

    internal override ILlmStreamDecoder CreateDecoder() => new OpenAiStreamDecoder(Options.MaxToolCallsPerTurn, Options.MaxToolArgumentBytes);

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
                WriteMessage(json, message);
            }

            json.WriteEndArray();
            WriteTools(json, request);
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

    /// <summary>
    /// A message in chat completions form: assistant tool calls as
    /// <c>tool_calls:[{id, type:"function", function:{name, arguments}}]</c> (arguments as a JSON
    /// string), tool results as <c>{role:"tool", tool_call_id, name, content}</c>.
    /// </summary>
    private static void WriteMessage(Utf8JsonWriter json, LlmMessage message)
    {
        json.WriteStartObject();
        json.WriteString("role", message.Role);
        if (message.Role == LlmMessage.ToolRole)
        {
            json.WriteString("tool_call_id", message.ToolCallId);
            if (message.ToolName is not null)
            {
                json.WriteString("name", message.ToolName);
            }

            json.WriteString("content", message.Content);
        }
        else if (message.ToolCalls is { Count: > 0 } calls)
        {
            if (message.Content.Length > 0)
            {
                json.WriteString("content", message.Content);
            }
            else
            {
                json.WriteNull("content");
            }

            json.WriteStartArray("tool_calls");
            foreach (var call in calls)
            {
                json.WriteStartObject();
                json.WriteString("id", call.Id);
                json.WriteString("type", "function");
                json.WriteStartObject("function");
                json.WriteString("name", call.Name);
                json.WriteString("arguments", call.ArgumentsJson);
                json.WriteEndObject();
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

    /// <summary>
    /// <c>tools:[{type:"function", function:{name, description, parameters}}]</c> sorted by name (a
    /// stable prefix for prompt caching) and <c>tool_choice</c>; <c>tools:[]</c> when none remain
    /// but the history has tool calls (as the reference sends it).
    /// </summary>
    private static void WriteTools(Utf8JsonWriter json, LlmRequest request)
    {
        if (request.Tools is not { Count: > 0 } tools)
        {
            if (request.HasToolHistory)
            {
                json.WriteStartArray("tools");
                json.WriteEndArray();
            }

            return;
        }

        json.WriteStartArray("tools");
        foreach (var tool in tools.OrderBy(tool => tool.Name, StringComparer.Ordinal))
        {
            json.WriteStartObject();
            json.WriteString("type", "function");
            json.WriteStartObject("function");
            json.WriteString("name", tool.Name);
            json.WriteString("description", tool.Description);
            json.WritePropertyName("parameters");
            json.WriteRawValue(tool.ParametersJson);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        if (request.ToolChoice is { } choice)
        {
            json.WriteString("tool_choice", choice);
        }
    }
}
