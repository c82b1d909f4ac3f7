using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OpenClaw.Grains.Tests.Llm;

/// <summary>
/// A local Kestrel server on 127.0.0.1 (random port) that speaks the OpenAI chat completions
/// and Anthropic messages streaming wire formats. The requested model picks the behaviour:
/// <c>server-error</c> (HTTP 500), <c>stream-error</c> (an error inside the SSE stream),
/// <c>malformed</c>, <c>truncated</c> (the stream just stops), <c>slow</c> (a delta every 50 ms
/// for ten seconds), <c>stall</c> (one delta, then silence), <c>no-headers</c> (waits before
/// answering); <c>tool-calls</c> (two tool calls streamed in pieces while the conversation has no
/// tool result yet, then a text answer), <c>tool-flood</c> (more tool calls than allowed),
/// <c>tool-huge-args</c> (one call whose arguments are too large), <c>legacy-function</c>
/// (OpenAI's old <c>function_call</c> delta); any other model answers normally. A wrong key gets
/// the provider's 401 JSON body.
/// </summary>
public sealed class FakeLlmServer : IAsyncDisposable
{
    public const string OpenAiKey = "sk-test-openai-0123456789";
    public const string AnthropicKey = "sk-ant-test-0123456789";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly TaskCompletionSource _aborted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FakeLlmServer(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>http://127.0.0.1:port (no trailing slash).</summary>
    public string BaseUrl { get; }

    public IReadOnlyCollection<RecordedRequest> Requests => _requests;

    /// <summary>Completes when the client went away in the middle of a streamed response.</summary>
    public Task ClientAborted => _aborted.Task;

    public static async Task<FakeLlmServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        FakeLlmServer? server = null;
        app.MapPost("/v1/chat/completions", (HttpContext context) => server!.HandleOpenAiAsync(context));
        app.MapPost("/v1/messages", (HttpContext context) => server!.HandleAnthropicAsync(context));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server = new FakeLlmServer(app, address.TrimEnd('/'));
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleOpenAiAsync(HttpContext context)
    {
        var request = await RecordAsync(context);
        var authorization = context.Request.Headers.Authorization.ToString();
        if (authorization != "Bearer " + OpenAiKey)
        {
            var given = authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization["Bearer ".Length..] : "";
            await WriteJsonAsync(context, 401, $$$"""
                {"error":{"message":"Incorrect API key provided: {{{given}}}. You can find your API key at the dashboard.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}
                """);
            return;
        }

        var model = request.Body["model"]!.GetValue<string>();
        var userText = LastUserText(request.Body);
        switch (model)
        {
            case "server-error":
                context.Response.StatusCode = 500;
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync("upstream exploded");
                return;
            case "no-headers":
                await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted).ContinueWith(_ => { });
                return;
        }

        StartEventStream(context);
        await SendAsync(context, "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n");
        await SendAsync(context, ": keep-alive\n\n");
        switch (model)
        {
            case "stream-error":
                await SendAsync(context, OpenAiDelta("partial "));
                await SendAsync(context, "data: {\"error\":{\"message\":\"The server had an error while processing your request.\",\"type\":\"server_error\"}}\n\n");
                return;
            case "malformed":
                await SendAsync(context, "data: {not json\n\n");
                return;
            case "truncated":
                await SendAsync(context, OpenAiDelta("cut "));
                return;
            case "slow":
                await StreamSlowlyAsync(context, text => OpenAiDelta(text));
                return;
            case "stall":
                await SendAsync(context, OpenAiDelta("first "));
                await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted).ContinueWith(_ => { });
                return;
            case "tool-calls" when !request.Body["messages"]!.AsArray().Any(m => m!["role"]!.GetValue<string>() == "tool"):
                await SendAsync(context, OpenAiDelta("Let me look. "));
                await SendAsync(context, OpenAiToolDelta("""{"index":0,"id":"call_a","type":"function","function":{"name":"read","arguments":""}}"""));
                await SendAsync(context, OpenAiToolDelta("""{"index":0,"function":{"arguments":"{\"path\":"}}"""));
                await SendAsync(context, OpenAiToolDelta("""{"index":1,"id":"call_b","type":"function","function":{"name":"write","arguments":"{\"path\":\"b.txt\","}}"""));
                await SendAsync(context, OpenAiToolDelta("""{"index":0,"function":{"arguments":"\"a.txt\"}"}}"""));
                await SendAsync(context, OpenAiToolDelta("""{"index":1,"function":{"arguments":"\"content\":\"x\"}"}}"""));
                await SendAsync(context, OpenAiFinish("tool_calls"));
                await SendAsync(context, "data: {\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":3}}\n\n");
                await SendAsync(context, "data: [DONE]\n\n");
                return;
            case "tool-flood":
                for (var i = 0; i < 100; i++)
                {
                    await SendAsync(context, OpenAiToolDelta($$$"""{"index":{{{i}}},"id":"call_{{{i}}}","function":{"name":"read","arguments":"{}"}}"""));
                }

                await SendAsync(context, OpenAiFinish("tool_calls"));
                await SendAsync(context, "data: [DONE]\n\n");
                return;
            case "tool-huge-args":
                await SendAsync(context, OpenAiToolDelta("""{"index":0,"id":"call_big","function":{"name":"write","arguments":""}}"""));
                for (var i = 0; i < 8; i++)
                {
                    await SendAsync(context, OpenAiToolDelta($$$"""{"index":0,"function":{"arguments":"{{{new string('x', 1000)}}}"}}"""));
                }

                await SendAsync(context, OpenAiFinish("tool_calls"));
                await SendAsync(context, "data: [DONE]\n\n");
                return;
            case "legacy-function":
                await SendAsync(context, """data: {"choices":[{"index":0,"delta":{"function_call":{"name":"read","arguments":"{\"path\":"}}}]}""" + "\n\n");
                await SendAsync(context, """data: {"choices":[{"index":0,"delta":{"function_call":{"arguments":"\"a.txt\"}"}}}]}""" + "\n\n");
                await SendAsync(context, OpenAiFinish("function_call"));
                await SendAsync(context, "data: [DONE]\n\n");
                return;
        }

        foreach (var word in Words("Hello from fake openai: " + userText))
        {
            await SendAsync(context, OpenAiDelta(word));
        }

        await SendAsync(context, "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\r\n\r\n");
        await SendAsync(context, "data: {\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":7,\"total_tokens\":18}}\n\n");
        await SendAsync(context, "data: [DONE]\n\n");
    }

    private async Task HandleAnthropicAsync(HttpContext context)
    {
        var request = await RecordAsync(context);
        if (context.Request.Headers["x-api-key"].ToString() != AnthropicKey)
        {
            await WriteJsonAsync(context, 401, """{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}""");
            return;
        }

        if (context.Request.Headers["anthropic-version"].ToString() != "2023-06-01")
        {
            await WriteJsonAsync(context, 400, """{"type":"error","error":{"type":"invalid_request_error","message":"anthropic-version header is required"}}""");
            return;
        }

        if (request.Body["max_tokens"] is null)
        {
            await WriteJsonAsync(context, 400, """{"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: Field required"}}""");
            return;
        }

        var model = request.Body["model"]!.GetValue<string>();
        if (model == "server-error")
        {
            await WriteJsonAsync(context, 500, """{"type":"error","error":{"type":"api_error","message":"Internal server error"}}""");
            return;
        }

        if (model == "tool-calls" && !HasAnthropicToolResult(request.Body))
        {
            await StreamAnthropicToolCallsAsync(context);
            return;
        }

        StartEventStream(context);
        await SendAsync(context, AnthropicEvent("message_start",
            $$$$"""{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"{{{{model}}}}","content":[],"stop_reason":null,"usage":{"input_tokens":25,"output_tokens":1}}}"""));
        await SendAsync(context, AnthropicEvent("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"""));
        await SendAsync(context, AnthropicEvent("ping", """{"type": "ping"}"""));
        switch (model)
        {
            case "stream-error":
                await SendAsync(context, AnthropicTextDelta("partial "));
                await SendAsync(context, AnthropicEvent("error", """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"""));
                return;
            case "truncated":
                await SendAsync(context, AnthropicTextDelta("cut "));
                return;
            case "slow":
                await StreamSlowlyAsync(context, AnthropicTextDelta);
                return;
        }

        foreach (var word in Words("Hello from fake anthropic: " + LastUserText(request.Body)))
        {
            await SendAsync(context, AnthropicTextDelta(word));
        }

        await SendAsync(context, AnthropicEvent("content_block_stop", """{"type":"content_block_stop","index":0}"""));
        await SendAsync(context, AnthropicEvent("message_delta",
            """{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":12}}"""));
        await SendAsync(context, AnthropicEvent("message_stop", """{"type":"message_stop"}"""));
    }

    private async Task StreamSlowlyAsync(HttpContext context, Func<string, string> delta)
    {
        try
        {
            for (var i = 0; i < 200; i++)
            {
                await SendAsync(context, delta($"tick{i} "));
                await Task.Delay(50, context.RequestAborted);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException || context.RequestAborted.IsCancellationRequested)
        {
            _aborted.TrySetResult();
        }
    }

    private async Task StreamAnthropicToolCallsAsync(HttpContext context)
    {
        StartEventStream(context);
        await SendAsync(context, AnthropicEvent("message_start",
            """{"type":"message_start","message":{"id":"msg_2","type":"message","role":"assistant","content":[],"stop_reason":null,"usage":{"input_tokens":30,"output_tokens":1}}}"""));
        await SendAsync(context, AnthropicEvent("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"""));
        await SendAsync(context, AnthropicTextDelta("Checking. "));
        await SendAsync(context, AnthropicEvent("content_block_stop", """{"type":"content_block_stop","index":0}"""));
        await SendAsync(context, AnthropicEvent("content_block_start", """{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_1","name":"read","input":{}}}"""));
        await SendAsync(context, AnthropicEvent("content_block_delta", """{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"pa"}}"""));
        await SendAsync(context, AnthropicEvent("content_block_delta", """{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"th\": \"a.txt\"}"}}"""));
        await SendAsync(context, AnthropicEvent("content_block_stop", """{"type":"content_block_stop","index":1}"""));
        await SendAsync(context, AnthropicEvent("content_block_start", """{"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_2","name":"ls","input":{}}}"""));
        await SendAsync(context, AnthropicEvent("content_block_stop", """{"type":"content_block_stop","index":2}"""));
        await SendAsync(context, AnthropicEvent("message_delta",
            """{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":20}}"""));
        await SendAsync(context, AnthropicEvent("message_stop", """{"type":"message_stop"}"""));
    }

    private static bool HasAnthropicToolResult(JsonNode body) =>
        body["messages"]!.AsArray().Any(m => m!["content"] is JsonArray blocks && blocks.Any(b => b!["type"]?.GetValue<string>() == "tool_result"));

    private static string OpenAiToolDelta(string toolCallJson) =>
        "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[" + toolCallJson + "]},\"finish_reason\":null}]}\n\n";

    private static string OpenAiFinish(string reason) =>
        "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"" + reason + "\"}]}\n\n";

    private static string OpenAiDelta(string text) =>
        $"data: {{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{{\"index\":0,\"delta\":{{\"content\":{JsonSerializer.Serialize(text)}}},\"finish_reason\":null}}]}}\n\n";

    private static string AnthropicTextDelta(string text) =>
        AnthropicEvent("content_block_delta", $"{{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{{\"type\":\"text_delta\",\"text\":{JsonSerializer.Serialize(text)}}}}}");

    private static string AnthropicEvent(string name, string json) => $"event: {name}\ndata: {json}\n\n";

    private static IEnumerable<string> Words(string text)
    {
        var parts = text.Split(' ');
        for (var i = 0; i < parts.Length; i++)
        {
            yield return i < parts.Length - 1 ? parts[i] + " " : parts[i];
        }
    }

    private static string LastUserText(JsonNode body) =>
        body["messages"]!.AsArray().Last(m => m!["role"]!.GetValue<string>() == "user" && m["content"] is JsonValue)!["content"]!.GetValue<string>();

    private static void StartEventStream(HttpContext context)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
    }

    private async Task SendAsync(HttpContext context, string text)
    {
        try
        {
            await context.Response.WriteAsync(text, context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested)
        {
            _aborted.TrySetResult();
            throw;
        }
    }

    private static async Task WriteJsonAsync(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json);
    }

    private async Task<RecordedRequest> RecordAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync();
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var recorded = new RecordedRequest(context.Request.Path, headers, JsonNode.Parse(text)!);
        _requests.Enqueue(recorded);
        return recorded;
    }

    public sealed record RecordedRequest(string Path, IReadOnlyDictionary<string, string> Headers, JsonNode Body);
}
