using OpenClaw.Grains.Llm;
using static OpenClaw.Grains.Tests.Llm.LlmTestHelpers;

namespace OpenClaw.Grains.Tests.Llm;

public sealed class AnthropicProviderTests : IAsyncLifetime
{
    private FakeLlmServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeLlmServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private LlmEndpoint Endpoint(string? key = FakeLlmServer.AnthropicKey) => new("anthropic", _server.BaseUrl, key);

    [Fact]
    public async Task Streams_text_stop_reason_and_usage()
    {
        using var services = CreateServices();

        var result = await CollectAsync(services.Provider("anthropic").StreamAsync(Request("claude-test"), Endpoint(), CancellationToken.None));

        Assert.Equal("Hello from fake anthropic: What is the weather?", result.Text);
        Assert.True(result.DeltaCount > 3);
        Assert.Equal("end_turn", result.Completed.StopReason);
        Assert.Equal(new LlmUsage(25, 12), result.Completed.Usage);
    }

    [Fact]
    public async Task Sends_the_messages_request_shape()
    {
        using var services = CreateServices();
        var request = new LlmRequest("claude-test",
        [
            new LlmMessage("system", "Be brief."),
            new LlmMessage("user", "Hi"),
            new LlmMessage("assistant", "Hello."),
            new LlmMessage("system", "Answer in English."),
            new LlmMessage("user", "How are you?"),
        ], Temperature: 0.2);

        await CollectAsync(services.Provider("anthropic").StreamAsync(request, Endpoint(), CancellationToken.None));

        var recorded = Assert.Single(_server.Requests);
        Assert.Equal("/v1/messages", recorded.Path);
        Assert.Equal(FakeLlmServer.AnthropicKey, recorded.Headers["x-api-key"]);
        Assert.Equal("2023-06-01", recorded.Headers["anthropic-version"]);
        Assert.False(recorded.Headers.ContainsKey("Authorization"));
        Assert.True(recorded.Body["stream"]!.GetValue<bool>());
        Assert.Equal(1024, recorded.Body["max_tokens"]!.GetValue<int>());
        Assert.Equal(0.2, recorded.Body["temperature"]!.GetValue<double>());
        Assert.Equal("Be brief.\n\nAnswer in English.", recorded.Body["system"]!.GetValue<string>());
        var roles = recorded.Body["messages"]!.AsArray().Select(m => m!["role"]!.GetValue<string>()).ToArray();
        Assert.Equal(["user", "assistant", "user"], roles);
    }

    [Fact]
    public async Task Explicit_max_tokens_is_sent()
    {
        using var services = CreateServices();

        await CollectAsync(services.Provider("anthropic").StreamAsync(Request("claude-test", maxTokens: 77), Endpoint(), CancellationToken.None));

        Assert.Equal(77, Assert.Single(_server.Requests).Body["max_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task Unauthorized_reports_status_and_error_type()
    {
        using var services = CreateServices();

        var error = await Assert.ThrowsAsync<LlmProviderException>(() =>
            CollectAsync(services.Provider("anthropic").StreamAsync(Request("claude-test"), Endpoint("sk-ant-wrong-1234"), CancellationToken.None)));

        Assert.Equal(401, error.StatusCode);
        Assert.Contains("authentication_error: invalid x-api-key", error.Message);
        Assert.DoesNotContain("sk-ant-wrong-1234", error.Message);
    }

    [Fact]
    public async Task Server_error_reports_status_and_message()
    {
        using var services = CreateServices();

        var error = await Assert.ThrowsAsync<LlmProviderException>(() =>
            CollectAsync(services.Provider("anthropic").StreamAsync(Request("server-error"), Endpoint(), CancellationToken.None)));

        Assert.Equal(500, error.StatusCode);
        Assert.Contains("api_error: Internal server error", error.Message);
    }

    [Fact]
    public async Task Error_event_fails_the_stream()
    {
        using var services = CreateServices();
        var received = new List<LlmStreamEvent>();

        var error = await Assert.ThrowsAsync<LlmProviderException>(async () =>
        {
            await foreach (var e in services.Provider("anthropic").StreamAsync(Request("stream-error"), Endpoint(), CancellationToken.None))
            {
                received.Add(e);
            }
        });

        Assert.Contains("overloaded_error: Overloaded", error.Message);
        Assert.Null(error.StatusCode);
        Assert.Equal([new LlmTextDelta("partial ")], received);
    }

    [Fact]
    public async Task Stream_without_message_stop_fails()
    {
        using var services = CreateServices();

        var error = await Assert.ThrowsAsync<LlmProviderException>(() =>
            CollectAsync(services.Provider("anthropic").StreamAsync(Request("truncated"), Endpoint(), CancellationToken.None)));

        Assert.Contains("message_stop", error.Message);
    }

    [Fact]
    public async Task Missing_key_fails_without_a_request()
    {
        using var services = CreateServices();

        var error = await Assert.ThrowsAsync<LlmProviderException>(() =>
            CollectAsync(services.Provider("anthropic").StreamAsync(Request("claude-test"), Endpoint(key: ""), CancellationToken.None)));

        Assert.Contains("API key", error.Message);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Cancellation_mid_stream_stops_promptly_and_closes_the_connection()
    {
        using var services = CreateServices();
        using var cts = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var e in services.Provider("anthropic").StreamAsync(Request("slow"), Endpoint(), cts.Token))
            {
                if (e is LlmTextDelta)
                {
                    cts.Cancel();
                }
            }
        });

        // No delta after the cancel, and the server saw the client go away.
        await _server.ClientAborted.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
