using Microsoft.Extensions.DependencyInjection;
using OpenClaw.Grains.Llm;
using static OpenClaw.Grains.Tests.Llm.LlmTestHelpers;

namespace OpenClaw.Grains.Tests.Llm;

public sealed class EchoProviderTests
{
    private static readonly LlmEndpoint NoKey = new("echo", null, null);

    [Fact]
    public async Task Echoes_the_last_user_message_in_word_chunks_without_a_key()
    {
        using var services = CreateServices(o => o.EchoChunkDelay = TimeSpan.FromMilliseconds(1));
        var request = new LlmRequest("echo-1",
        [
            new LlmMessage("system", "ignored"),
            new LlmMessage("user", "first"),
            new LlmMessage("assistant", "Echo: first"),
            new LlmMessage("user", "hello there  world"),
        ]);

        var result = await CollectAsync(services.Provider("echo").StreamAsync(request, NoKey, CancellationToken.None));

        Assert.Equal("Echo: hello there  world", result.Text);
        Assert.Equal(4, result.DeltaCount);
        Assert.Equal("stop", result.Completed.StopReason);
        Assert.True(result.Completed.Usage.InputTokens > 0);
        Assert.True(result.Completed.Usage.OutputTokens > 0);
    }

    [Fact]
    public async Task Honors_cancellation_between_chunks()
    {
        using var services = CreateServices(o => o.EchoChunkDelay = TimeSpan.FromSeconds(10));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            CollectAsync(services.Provider("echo").StreamAsync(Request("echo-1", "a b c"), NoKey, cts.Token)));
    }

    [Fact]
    public async Task Works_with_zero_delay()
    {
        using var services = CreateServices(o => o.EchoChunkDelay = TimeSpan.Zero);

        var result = await CollectAsync(services.Provider("echo").StreamAsync(Request("echo-1", "ping"), NoKey, CancellationToken.None));

        Assert.Equal("Echo: ping", result.Text);
    }

    [Fact]
    public void Registry_finds_providers_case_insensitively_and_rejects_unknown_names()
    {
        using var services = CreateServices();
        var registry = services.GetRequiredService<ILlmProviderRegistry>();

        Assert.Equal("openai", registry.Get("OpenAI").Name);
        Assert.Equal("anthropic", registry.Get("anthropic").Name);
        Assert.Equal("echo", registry.Get("echo").Name);
        var error = Assert.Throws<LlmProviderException>(() => registry.Get("gemini"));
        Assert.Contains("gemini", error.Message);
        Assert.Contains("openai", error.Message);
    }

    [Fact]
    public async Task Invalid_requests_fail_before_anything_is_sent()
    {
        using var services = CreateServices();

        await Assert.ThrowsAsync<LlmProviderException>(() =>
            CollectAsync(services.Provider("echo").StreamAsync(new LlmRequest("echo-1", []), NoKey, CancellationToken.None)));
        await Assert.ThrowsAsync<LlmProviderException>(() =>
            CollectAsync(services.Provider("echo").StreamAsync(new LlmRequest("echo-1", [new LlmMessage("tool", "x")]), NoKey, CancellationToken.None)));
    }

    [Fact]
    public void Invalid_options_are_rejected()
    {
        using var services = CreateServices(o => o.ResponseTimeout = TimeSpan.Zero);

        Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            services.GetRequiredService<ILlmProviderRegistry>().Get("openai"));
    }
}
