using System.Net;
using System.Net.Sockets;
using OpenClaw.Grains.Llm;
using static OpenClaw.Grains.Tests.Llm.LlmTestHelpers;

namespace OpenClaw.Grains.Tests.Llm;

public sealed class OpenAiProviderTests : IAsyncLifetime
{
    private FakeLlmServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeLlmServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private LlmEndpoint Endpoint(string? key = FakeLlmServer.OpenAiKey) => new("openai", _server.BaseUrl + "/v1", key);

    [Fact]
    public async Task Streams_text_stop_reason_and_usage()
    {
        using var services = CreateServices();
        var request = Request("gpt-test", maxTokens: 50) with { Temperature = 0.5 };

        var result = await CollectAsync(services.Provider("openai").StreamAsync(request, Endpoint(), CancellationToken.None));

        Assert.Equal("Hello from fake openai: What is the weather?", result.Text);
        Assert.True(result.DeltaCount > 3);
        Assert.Equal("stop", result.Completed.StopReason);
        Assert.Equal(new LlmUsage(11, 7), result.Completed.Usage);
    }

    [Fact]
    public async Task Sends_the_chat_completions_request_shape()
    {
        using var services = CreateServices();
        var request = Request("gpt-test", maxTokens: 50) with { Temperature = 0.5 };

        await CollectAsync(services.Provider("openai").StreamAsync(request, Endpoint(), CancellationToken.None));

        var recorded = Assert.Single(_server.Requests);
        Assert.Equal("/v1/chat/completions", recorded.Path);
        Assert.Equal("Bearer " + FakeLlmServer.OpenAiKey, recorded.Headers["Authorization"]);
        Assert.Equal("gpt-test", recorded.Body["model"]!.GetValue<string>());
        Assert.True(recorded.Body["stream"]!.GetValue<bool>());
        Assert.True(recorded.Body["stream_options"]!["include_usage"]!.GetValue<bool>());
        Assert.Equal(50, recorded.Body["max_tokens"]!.GetValue<int>());
        Assert.Equal(0.5, recorded.Body["temperature"]!.GetValue<double>());
        var messages = recorded.Body["messages"]!.AsArray();
        Assert.Equal(2, messages.Count);
        Assert.Equal("system", messages[0]!["role"]!.GetValue<string>());
        Assert.Equal("You are terse.", messages[0]!["content"]!.GetValue<string>());
        Assert.Equal("user", messages[1]!["role"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unauthorized_reports_status_and_provider_message_without_the_key()
    {
        using var services = CreateServices();
        const string wrongKey = "sk-wrong-secret-key-42";

        var error = await Assert.ThrowsAsync<LlmProviderException>(() =>
            CollectAsync(services.Provider("openai").StreamAsync(Request("gpt-test"), Endpoint(wrongKey), CancellationToken.None)));

        Assert.Equal(401, error.StatusCode);
        Assert.Contains("401", error.Message);
        Assert.Contains("Incorrect API key provided", error.Message);
        Assert.DoesNotContain(wrongKey, error.Message);
    }

    [Fact]
    public async Task Server_error_reports_the_status_but_not_a_plain_text_body()
    {
        using var services = CreateServices();

        var error = await Assert.ThrowsAsync<LlmProviderException>(() =>
            CollectAsync(services.Provider("openai").StreamAsync(Request("server-error"), Endpoint(), CancellationToken.None)));

        Assert.Equal(500, error.StatusCode);
        Assert.Equal("openai: HTTP 500 (Internal Server Error).", error.Message);
    }

    [Fact]
    public async Task Error_object_inside_the_stream_fails_after_the_text_so_far()
    {
        using var services = CreateServices();
        var received = new List<LlmStreamEvent>();

        var error = await Assert.ThrowsAsync<LlmProviderException>(async () =>
        {
            await foreach (var e in services.Provider("openai").StreamAsync(Request("stream-error"), Endpoint(), CancellationToken.None))
            {
                received.Add(e);
            }
        });

        Assert.Contains("The server had an error", error.Message);
        Assert.Equal([new LlmTextDelta("partial ")], received);
    }

    [Fact]
    public async Task Malformed_chunk_fails_clearly()
    {
        using var services = CreateServices();

        var error = await Assert.ThrowsAsync<LlmProviderException>(() =>
            CollectAsync(services.Provider("openai").StreamAsync(Request("malformed"), Endpoint(), CancellationToken.None)));

        Assert.Contains("malformed", error.Message);
    }

    [Fact]
    public async Task Stream_that_stops_early_fails_instead_of_completing()
    {
        using var services = CreateServices();

        var error = await Assert.ThrowsAsync<LlmProviderException>(() =>
            CollectAsync(services.Provider("openai").StreamAsync(Request("truncated"), Endpoint(), CancellationToken.None)));

        Assert.Contains("ended before", error.Message);
    }

    [Fact]
    public async Task Missing_key_fails_without_a_request()
    {
        using var services = CreateServices();

        var error = await Assert.ThrowsAsync<LlmProviderException>(() =>
            CollectAsync(services.Provider("openai").StreamAsync(Request("gpt-test"), Endpoint(key: null), CancellationToken.None)));

        Assert.Contains("API key", error.Message);
        Assert.Null(error.StatusCode);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Unreachable_endpoint_fails_clearly()
    {
        using var services = CreateServices();
        var port = FreePort();

        var error = await Assert.ThrowsAsync<LlmProviderException>(() =>
            CollectAsync(services.Provider("openai").StreamAsync(
                Request("gpt-test"), new LlmEndpoint("openai", $"http://127.0.0.1:{port}/v1", "sk-x"), CancellationToken.None)));

        Assert.Equal("openai: the provider could not be reached or did not answer in time.", error.Message);
    }

    [Fact]
    public async Task Cancellation_mid_stream_stops_promptly_and_closes_the_connection()
    {
        using var services = CreateServices();
        using var cts = new CancellationTokenSource();
        var deltas = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var e in services.Provider("openai").StreamAsync(Request("slow"), Endpoint(), cts.Token))
            {
                if (e is LlmTextDelta && ++deltas == 2)
                {
                    cts.Cancel();
                }
            }
        });

        // No delta after the cancel, and the server saw the client go away.
        Assert.Equal(2, deltas);
        await _server.ClientAborted.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Abandoning_the_enumeration_closes_the_connection()
    {
        using var services = CreateServices();

        await foreach (var e in services.Provider("openai").StreamAsync(Request("slow"), Endpoint(), CancellationToken.None))
        {
            if (e is LlmTextDelta)
            {
                break;
            }
        }

        await _server.ClientAborted.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Silent_stream_times_out()
    {
        using var services = CreateServices(o => o.StreamIdleTimeout = TimeSpan.FromMilliseconds(300));

        var error = await Assert.ThrowsAsync<LlmProviderException>(() =>
            CollectAsync(services.Provider("openai").StreamAsync(Request("stall"), Endpoint(), CancellationToken.None)));

        Assert.Contains("silent", error.Message);
    }

    [Fact]
    public async Task Missing_response_headers_time_out()
    {
        using var services = CreateServices(o => o.ResponseTimeout = TimeSpan.FromMilliseconds(300));

        var error = await Assert.ThrowsAsync<LlmProviderException>(() =>
            CollectAsync(services.Provider("openai").StreamAsync(Request("no-headers"), Endpoint(), CancellationToken.None)));

        Assert.Equal("openai: the provider could not be reached or did not answer in time.", error.Message);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
