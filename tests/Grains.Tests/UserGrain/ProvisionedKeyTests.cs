using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenClaw.Grains.Gateway;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Grains.Llm;
using OpenClaw.Grains.Tests.Egress;
using OpenClaw.Grains.Tests.Llm;

namespace OpenClaw.Grains.Tests.UserGrainTests;

/// <summary>
/// The operator's provider key goes only to the endpoint it was provisioned for: a tenant that
/// points its config at another URL or provider must bring its own key. Real providers over HTTP;
/// the "attacker" is a local server that records every header it gets.
/// </summary>
public sealed class ProvisionedKeyTests : IAsyncLifetime
{
    private const string OperatorKey = FakeLlmServer.OpenAiKey;
    private const string TenantOwnKey = "sk-tenant-own-key-987654";

    private FakeLlmServer _provisioned = null!;
    private RecordingServer _attacker = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _provisioned = await FakeLlmServer.StartAsync();
        _attacker = await RecordingServer.StartAsync();
        _services = LlmTestHelpers.CreateServices();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _attacker.DisposeAsync();
        await _provisioned.DisposeAsync();
    }

    private GatewayHarness CreateHarness() => GatewayHarness.Create(
        config: new TenantConfig { Provider = "openai", Model = "gpt-test", ApiKey = OperatorKey, BaseUrl = _provisioned.BaseUrl + "/v1" },
        registry: _services.GetRequiredService<ILlmProviderRegistry>(),
        egress: LlmTestHelpers.TestServerPolicy());

    [Fact]
    public async Task A_patched_base_url_never_receives_the_operator_key_and_the_run_asks_for_the_tenants_own_key()
    {
        using var harness = CreateHarness();
        Assert.Equal("final", (await ChatEndAsync(harness, "before")).State);

        await harness.OkAsync("config.patch", new { raw = new { baseUrl = _attacker.BaseUrl + "/v1" } });
        var end = await ChatEndAsync(harness, "after");

        Assert.Empty(_attacker.Requests);
        Assert.Equal("error", end.State);
        Assert.Contains("set your own apiKey", end.Payload.GetProperty("errorMessage").GetString());
        Assert.DoesNotContain(OperatorKey, end.Json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sending_the_redaction_placeholder_with_a_new_base_url_does_not_reattach_the_operator_key()
    {
        using var harness = CreateHarness();
        await harness.OkAsync("config.patch", new { raw = new { baseUrl = _attacker.BaseUrl + "/v1", apiKey = ConfigPatch.RedactedPlaceholder } });
        var end = await ChatEndAsync(harness, "hi");

        Assert.Empty(_attacker.Requests);
        Assert.Equal("error", end.State);
    }

    [Fact]
    public async Task A_changed_provider_never_receives_the_operator_key()
    {
        // Provisioned: openai at the attacker's address; the tenant switches to anthropic, which
        // would send the key as x-api-key to the same host.
        using var harness = GatewayHarness.Create(
            config: new TenantConfig { Provider = "openai", Model = "gpt-test", ApiKey = OperatorKey, BaseUrl = _attacker.BaseUrl + "/v1" },
            registry: _services.GetRequiredService<ILlmProviderRegistry>(),
            egress: LlmTestHelpers.TestServerPolicy());
        await harness.OkAsync("config.patch", new { raw = new { provider = "anthropic" } });
        var end = await ChatEndAsync(harness, "hi");

        Assert.DoesNotContain(_attacker.Requests, r => r.Headers.Values.Any(v => v.Contains(OperatorKey, StringComparison.Ordinal)));
        Assert.Equal("error", end.State);
        Assert.Contains("set your own apiKey", end.Payload.GetProperty("errorMessage").GetString());
    }

    [Fact]
    public async Task Patching_back_to_the_provisioned_url_uses_the_operator_key_again()
    {
        using var harness = CreateHarness();
        await harness.OkAsync("config.patch", new { raw = new { baseUrl = _attacker.BaseUrl + "/v1" } });
        Assert.Equal("error", (await ChatEndAsync(harness, "away")).State);

        Assert.True((await harness.CallAsync("config.patch", """{"raw":{"baseUrl":null}}""")).Ok);
        var end = await ChatEndAsync(harness, "back");

        Assert.Equal("final", end.State);
        Assert.Empty(_attacker.Requests);
    }

    [Fact]
    public async Task The_tenants_own_key_goes_to_the_tenants_own_url()
    {
        using var harness = CreateHarness();
        await harness.OkAsync("config.patch", new { raw = new { apiKey = TenantOwnKey } });
        await harness.OkAsync("config.patch", new { raw = new { baseUrl = _attacker.BaseUrl + "/v1" } });
        await ChatEndAsync(harness, "mine");

        var request = Assert.Single(_attacker.Requests);
        Assert.Equal("Bearer " + TenantOwnKey, request.Headers["Authorization"]);
        Assert.DoesNotContain(_attacker.Requests, r => r.Headers.Values.Any(v => v.Contains(OperatorKey, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Config_get_shows_no_key_in_effect_once_the_url_moved_away_from_the_provisioned_one()
    {
        using var harness = CreateHarness();
        var before = (await harness.OkAsync("config.get")).GetProperty("config");
        Assert.Equal(ConfigPatch.RedactedPlaceholder, before.GetProperty("apiKey").GetString());

        await harness.OkAsync("config.patch", new { raw = new { baseUrl = _attacker.BaseUrl + "/v1" } });
        var reply = await harness.CallAsync("config.get", "{}");

        Assert.DoesNotContain(OperatorKey, reply.PayloadJson, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, GatewayHarness.Payload(reply).GetProperty("config").GetProperty("apiKey").ValueKind);
    }

    private static async Task<RecordedEvent> ChatEndAsync(GatewayHarness harness, string message)
    {
        var runId = await harness.ChatAsync(message);
        return await harness.Events.WaitForChatEndAsync(runId);
    }
}
