namespace OpenClaw.Grains.Tests.UserGrainTests;

/// <summary>What a failed run tells the tenant when the failure is not a provider error: no .NET type names, no internal detail.</summary>
public sealed class RunErrorTextTests
{
    [Fact]
    public async Task An_unexpected_failure_is_reported_without_the_exception_type_or_its_message()
    {
        using var harness = GatewayHarness.Create();
        harness.Provider.FailWith = new InvalidOperationException("socket 10.1.2.3:5432 in state 7");
        await harness.OkAsync("chat.send", new { sessionKey = GatewayHarness.HarnessSession, message = "hi", idempotencyKey = "boom" });

        var end = await harness.Events.WaitForChatEndAsync("boom");

        Assert.Equal("error", end.State);
        Assert.Equal("The model request failed unexpectedly.", end.Payload.GetProperty("errorMessage").GetString());
        Assert.DoesNotContain(harness.Events.Events, e => e.Json.Contains("InvalidOperationException", StringComparison.Ordinal)
            || e.Json.Contains("10.1.2.3", StringComparison.Ordinal));
    }
}
