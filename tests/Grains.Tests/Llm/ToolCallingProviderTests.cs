using System.Text.Json.Nodes;
using OpenClaw.Grains.Llm;
using static OpenClaw.Grains.Tests.Llm.LlmTestHelpers;

namespace OpenClaw.Grains.Tests.Llm;

/// <summary>Tool calling on the OpenAI and Anthropic wire formats, against the local fake servers.</summary>
public sealed class ToolCallingProviderTests : IAsyncLifetime
{
    private const string ReadSchema = """{"type":"object","properties":{"path":{"type":"string"}},"required":["path"]}""";

    private FakeLlmServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeLlmServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private LlmEndpoint OpenAi => new("openai", _server.BaseUrl + "/v1", FakeLlmServer.OpenAiKey);

    private LlmEndpoint Anthropic => new("anthropic", _server.BaseUrl, FakeLlmServer.AnthropicKey);

    private static LlmRequest WithTools(LlmRequest request) => request with
    {
        Tools = [new LlmToolDefinition("write", "Writes a file.", """{"type":"object"}"""), new LlmToolDefinition("read", "Reads a file.", ReadSchema)],
        ToolChoice = LlmRequest.ToolChoiceAuto,
    };

    /// <summary>The conversation after the model called read and got its result.</summary>
    private static LlmRequest SecondRequest(string model) => WithTools(new LlmRequest(model,
    [
        new LlmMessage("system", "You are terse."),
        new LlmMessage("user", "Read a.txt"),
        new LlmMessage("assistant", "Let me look.") { ToolCalls = [new LlmToolCall("call_a", "read", """{"path":"a.txt"}""")] },
        LlmMessage.ToolResult("call_a", "read", "contents of a", isError: false),
        new LlmMessage("assistant", "") { ToolCalls = [new LlmToolCall("call_b", "write", """{"path":"b.txt"}"""), new LlmToolCall("call_c", "ls", "{}")] },
        LlmMessage.ToolResult("call_b", "write", "wrote", isError: false),
        LlmMessage.ToolResult("call_c", "ls", "Tool ls not found", isError: true),
    ]));

    [Fact]
    public async Task OpenAi_request_offers_the_tools_sorted_by_name_with_tool_choice_auto()
    {
        using var services = CreateServices();

        await CollectAsync(services.Provider("openai").StreamAsync(WithTools(Request("gpt-test")), OpenAi, CancellationToken.None));

        var body = Assert.Single(_server.Requests).Body;
        var tools = body["tools"]!.AsArray();
        Assert.Equal(["read", "write"], tools.Select(t => t!["function"]!["name"]!.GetValue<string>()));
        Assert.Equal("function", tools[0]!["type"]!.GetValue<string>());
        Assert.Equal("Reads a file.", tools[0]!["function"]!["description"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(ReadSchema), tools[0]!["function"]!["parameters"]));
        Assert.Equal("auto", body["tool_choice"]!.GetValue<string>());
    }

    [Fact]
    public async Task OpenAi_request_without_tools_sends_no_tool_fields()
    {
        using var services = CreateServices();

        await CollectAsync(services.Provider("openai").StreamAsync(Request("gpt-test"), OpenAi, CancellationToken.None));

        var body = Assert.Single(_server.Requests).Body.AsObject();
        Assert.False(body.ContainsKey("tools"));
        Assert.False(body.ContainsKey("tool_choice"));
    }

    [Fact]
    public async Task OpenAi_streamed_tool_call_pieces_are_assembled_by_index()
    {
        using var services = CreateServices();

        var result = await CollectAsync(services.Provider("openai").StreamAsync(WithTools(Request("tool-calls")), OpenAi, CancellationToken.None));

        Assert.Equal("Let me look. ", result.Text);
        var calls = result.Events.OfType<LlmToolCall>().ToList();
        Assert.Equal(2, calls.Count);
        Assert.Equal(("call_a", "read", """{"path":"a.txt"}"""), (calls[0].Id, calls[0].Name, calls[0].ArgumentsJson));
        Assert.Equal(("call_b", "write", """{"path":"b.txt","content":"x"}"""), (calls[1].Id, calls[1].Name, calls[1].ArgumentsJson));
        Assert.All(calls, call => Assert.Null(call.Invalid));
        Assert.Equal(LlmCompleted.ToolUse, result.Completed.StopReason);
        Assert.Equal(new LlmUsage(5, 3), result.Completed.Usage);
    }

    [Fact]
    public async Task OpenAi_legacy_function_call_is_normalised_to_a_tool_call()
    {
        using var services = CreateServices();

        var result = await CollectAsync(services.Provider("openai").StreamAsync(WithTools(Request("legacy-function")), OpenAi, CancellationToken.None));

        var call = Assert.Single(result.Events.OfType<LlmToolCall>());
        Assert.Equal(("read", """{"path":"a.txt"}"""), (call.Name, call.ArgumentsJson));
        Assert.False(string.IsNullOrEmpty(call.Id));
        Assert.Equal(LlmCompleted.ToolUse, result.Completed.StopReason);
    }

    [Fact]
    public async Task OpenAi_history_maps_tool_calls_and_results()
    {
        using var services = CreateServices();

        await CollectAsync(services.Provider("openai").StreamAsync(SecondRequest("gpt-test"), OpenAi, CancellationToken.None));

        var messages = Assert.Single(_server.Requests).Body["messages"]!.AsArray();
        Assert.Equal(["system", "user", "assistant", "tool", "assistant", "tool", "tool"], messages.Select(m => m!["role"]!.GetValue<string>()));
        var first = messages[2]!;
        Assert.Equal("Let me look.", first["content"]!.GetValue<string>());
        var call = first["tool_calls"]!.AsArray().Single()!;
        Assert.Equal("call_a", call["id"]!.GetValue<string>());
        Assert.Equal("function", call["type"]!.GetValue<string>());
        Assert.Equal("read", call["function"]!["name"]!.GetValue<string>());
        Assert.Equal("""{"path":"a.txt"}""", call["function"]!["arguments"]!.GetValue<string>());
        Assert.Equal("call_a", messages[3]!["tool_call_id"]!.GetValue<string>());
        Assert.Equal("contents of a", messages[3]!["content"]!.GetValue<string>());
        Assert.Null(messages[4]!["content"]);
        Assert.Equal(2, messages[4]!["tool_calls"]!.AsArray().Count);
    }

    [Fact]
    public async Task OpenAi_second_request_of_a_tool_run_carries_the_tool_history()
    {
        using var services = CreateServices();
        var provider = services.Provider("openai");
        var first = await CollectAsync(provider.StreamAsync(WithTools(Request("tool-calls")), OpenAi, CancellationToken.None));
        var calls = first.Events.OfType<LlmToolCall>().ToList();
        var messages = Request("tool-calls").Messages.ToList();
        messages.Add(new LlmMessage("assistant", first.Text) { ToolCalls = calls });
        messages.AddRange(calls.Select(c => LlmMessage.ToolResult(c.Id, c.Name, "ok " + c.Name, isError: false)));

        var second = await CollectAsync(provider.StreamAsync(WithTools(new LlmRequest("tool-calls", messages)), OpenAi, CancellationToken.None));

        Assert.Empty(second.Events.OfType<LlmToolCall>());
        Assert.Equal("stop", second.Completed.StopReason);
        var sent = _server.Requests.Last().Body["messages"]!.AsArray();
        Assert.Equal(["call_a", "call_b"], sent.Where(m => m!["role"]!.GetValue<string>() == "tool").Select(m => m!["tool_call_id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task OpenAi_too_many_tool_calls_in_one_turn_fail_the_stream()
    {
        using var services = CreateServices(o => o.MaxToolCallsPerTurn = 8);

        var error = await Assert.ThrowsAsync<LlmProviderException>(() =>
            CollectAsync(services.Provider("openai").StreamAsync(WithTools(Request("tool-flood")), OpenAi, CancellationToken.None)));

        Assert.Contains("more than 8 tool calls", error.Message);
    }

    [Fact]
    public async Task OpenAi_oversized_tool_arguments_mark_the_call_invalid_without_keeping_them()
    {
        using var services = CreateServices(o => o.MaxToolArgumentBytes = 4096);

        var result = await CollectAsync(services.Provider("openai").StreamAsync(WithTools(Request("tool-huge-args")), OpenAi, CancellationToken.None));

        var call = Assert.Single(result.Events.OfType<LlmToolCall>());
        Assert.Contains("exceed 4096 bytes", call.Invalid);
        Assert.True(call.ArgumentsJson.Length < 4096);
    }

    [Fact]
    public async Task Anthropic_request_offers_tools_with_input_schema()
    {
        using var services = CreateServices();

        await CollectAsync(services.Provider("anthropic").StreamAsync(WithTools(Request("claude-test")), Anthropic, CancellationToken.None));

        var body = Assert.Single(_server.Requests).Body;
        var tools = body["tools"]!.AsArray();
        Assert.Equal(["read", "write"], tools.Select(t => t!["name"]!.GetValue<string>()));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(ReadSchema), tools[0]!["input_schema"]));
        Assert.Equal("auto", body["tool_choice"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Anthropic_tool_use_blocks_are_assembled_from_input_json_deltas()
    {
        using var services = CreateServices();

        var result = await CollectAsync(services.Provider("anthropic").StreamAsync(WithTools(Request("tool-calls")), Anthropic, CancellationToken.None));

        Assert.Equal("Checking. ", result.Text);
        var calls = result.Events.OfType<LlmToolCall>().ToList();
        Assert.Equal(2, calls.Count);
        Assert.Equal(("toolu_1", "read", """{"path": "a.txt"}"""), (calls[0].Id, calls[0].Name, calls[0].ArgumentsJson));
        Assert.Equal(("toolu_2", "ls", "{}"), (calls[1].Id, calls[1].Name, calls[1].ArgumentsJson));
        Assert.Equal(LlmCompleted.ToolUse, result.Completed.StopReason);
        Assert.Equal(new LlmUsage(30, 20), result.Completed.Usage);
    }

    [Fact]
    public async Task Anthropic_history_maps_tool_use_and_groups_consecutive_results_in_one_user_message()
    {
        using var services = CreateServices();

        await CollectAsync(services.Provider("anthropic").StreamAsync(SecondRequest("tool-calls"), Anthropic, CancellationToken.None));

        var body = Assert.Single(_server.Requests).Body;
        var messages = body["messages"]!.AsArray();
        Assert.Equal(["user", "assistant", "user", "assistant", "user"], messages.Select(m => m!["role"]!.GetValue<string>()));
        var firstTurn = messages[1]!["content"]!.AsArray();
        Assert.Equal("text", firstTurn[0]!["type"]!.GetValue<string>());
        Assert.Equal("tool_use", firstTurn[1]!["type"]!.GetValue<string>());
        Assert.Equal("call_a", firstTurn[1]!["id"]!.GetValue<string>());
        Assert.Equal("a.txt", firstTurn[1]!["input"]!["path"]!.GetValue<string>());
        var results = messages[4]!["content"]!.AsArray();
        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.Equal("tool_result", r!["type"]!.GetValue<string>()));
        Assert.Equal("call_c", results[1]!["tool_use_id"]!.GetValue<string>());
        Assert.True(results[1]!["is_error"]!.GetValue<bool>());
        Assert.False(results[0]!["is_error"]!.GetValue<bool>());
        Assert.Equal("wrote", results[0]!["content"]![0]!["text"]!.GetValue<string>());
    }
}
