using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenClaw.Grains.Gateway;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Grains.Llm;
using OpenClaw.Grains.Secrets;
using OpenClaw.Grains.Tenants;
using OpenClaw.Grains.Tests.Llm;
using OpenClaw.Grains.Tests.UserGrainTests;
using OpenClaw.Grains.Tests.Workspace;

namespace OpenClaw.Grains.Tests.Tenants;

/// <summary>
/// Tenants' API keys at rest: protected in the registry and in grain state, readable by every
/// "silo" (service provider) sharing the key ring, decrypted only for the provider request.
/// </summary>
public sealed class TenantSecretTests : IAsyncLifetime
{
    private readonly TempDirectory _root = new();
    private FakeLlmServer _llm = null!;

    public async Task InitializeAsync() => _llm = await FakeLlmServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _llm.DisposeAsync();
        _root.Dispose();
    }

    private ServiceProvider Silo(string keyDirectory) =>
        LlmTestHelpers.CreateServices(services: s => s.AddFileTenantSecretProtection(keyDirectory));

    [Fact]
    public void A_key_protected_by_one_silo_is_read_by_another_sharing_the_key_ring_and_by_no_other()
    {
        var keys = _root.Combine("keys");
        using var first = Silo(keys);
        using var second = Silo(keys);
        using var stranger = Silo(_root.Combine("other-keys"));

        var protectedKey = first.GetRequiredService<ITenantSecretProtector>().Protect(FakeLlmServer.OpenAiKey);

        Assert.StartsWith(TenantSecrets.Prefix, protectedKey);
        Assert.DoesNotContain(FakeLlmServer.OpenAiKey, protectedKey);
        Assert.Equal(protectedKey, first.GetRequiredService<ITenantSecretProtector>().Protect(protectedKey));
        Assert.Equal(FakeLlmServer.OpenAiKey, second.GetRequiredService<ITenantSecretProtector>().Unprotect(protectedKey));
        Assert.ThrowsAny<CryptographicException>(() => stranger.GetRequiredService<ITenantSecretProtector>().Unprotect(protectedKey));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(OpenClaw.Runtime.OwnerOnlyPaths.DirectoryMode, File.GetUnixFileMode(keys));
    }

    [Fact]
    public async Task A_key_stored_by_one_silo_reaches_the_provider_of_another_in_plaintext_only_in_the_authorization_header()
    {
        var keys = _root.Combine("keys");
        using var writer = Silo(keys);
        using var reader = Silo(keys);
        var registryOptions = Options.Create(new SqliteTenantRegistryOptions { Directory = _root.Combine("tenants") });
        using (var registry = new SqliteTenantRegistry(registryOptions, writer.GetRequiredService<ITenantSecretProtector>()))
        {
            await registry.CreateAsync(new TenantRecord
            {
                TenantId = "acme",
                Config = new TenantConfig { Provider = "openai", Model = "gpt-test", ApiKey = FakeLlmServer.OpenAiKey, BaseUrl = _llm.BaseUrl + "/v1" },
            }, default);
        }

        using var readRegistry = new SqliteTenantRegistry(registryOptions, reader.GetRequiredService<ITenantSecretProtector>());
        var record = (await readRegistry.GetAsync("acme", default))!;
        Assert.StartsWith(TenantSecrets.Prefix, record.Config.ApiKey);

        var endpoint = new LlmEndpoint(record.Config.Provider, record.Config.BaseUrl, record.Config.ApiKey);
        var result = await LlmTestHelpers.CollectAsync(reader.Provider("openai").StreamAsync(LlmTestHelpers.Request("gpt-test"), endpoint, default));

        Assert.NotNull(result.Completed);
        var request = Assert.Single(_llm.Requests);
        Assert.Equal("Bearer " + FakeLlmServer.OpenAiKey, request.Headers["Authorization"]);
        Assert.DoesNotContain(FakeLlmServer.OpenAiKey, endpoint.ToString());
    }

    [Fact]
    public async Task A_key_from_another_key_ring_fails_the_run_with_a_clear_error_and_sends_nothing()
    {
        using var writer = Silo(_root.Combine("keys"));
        using var stranger = Silo(_root.Combine("other-keys"));
        var protectedKey = writer.GetRequiredService<ITenantSecretProtector>().Protect(FakeLlmServer.OpenAiKey);

        var error = await Assert.ThrowsAsync<LlmProviderException>(() => LlmTestHelpers.CollectAsync(stranger.Provider("openai").StreamAsync(
            LlmTestHelpers.Request("gpt-test"), new LlmEndpoint("openai", _llm.BaseUrl + "/v1", protectedKey), default)));

        Assert.Contains("cannot be decrypted", error.Message);
        Assert.Empty(_llm.Requests);
    }

    [Fact]
    public async Task A_key_set_with_config_patch_is_kept_protected_in_grain_state_and_still_works()
    {
        using var services = Silo(_root.Combine("keys"));
        using var harness = GatewayHarness.Create(
            config: new TenantConfig { Provider = "echo", Model = "echo-1" },
            registry: services.GetRequiredService<ILlmProviderRegistry>(),
            egress: LlmTestHelpers.TestServerPolicy(),
            secrets: services.GetRequiredService<ITenantSecretProtector>());

        await harness.OkAsync("config.patch", new { raw = new { provider = "openai", model = "gpt-test", baseUrl = _llm.BaseUrl + "/v1", apiKey = FakeLlmServer.OpenAiKey } });
        var runId = await harness.ChatAsync("hello");
        var end = await harness.Events.WaitForChatEndAsync(runId);

        Assert.Equal("final", end.State);
        Assert.Equal("Bearer " + FakeLlmServer.OpenAiKey, Assert.Single(_llm.Requests).Headers["Authorization"]);
        var stored = string.Concat(harness.Storage.StateNames.Select(name => Encoding.UTF8.GetString(harness.Storage.Get(name)!)));
        Assert.Contains(TenantSecrets.Prefix, stored);
        Assert.DoesNotContain(FakeLlmServer.OpenAiKey, stored);
        var shown = (await harness.OkAsync("config.get")).GetRawText();
        Assert.DoesNotContain(FakeLlmServer.OpenAiKey, shown);
        Assert.DoesNotContain(TenantSecrets.Prefix, shown);
        Assert.DoesNotContain(FakeLlmServer.OpenAiKey, string.Concat(harness.Events.Events.Select(e => e.Json)));
    }

    [Fact]
    public async Task A_tenant_cannot_hand_in_a_protected_value_as_its_key()
    {
        using var services = Silo(_root.Combine("keys"));
        var protector = services.GetRequiredService<ITenantSecretProtector>();
        using var harness = GatewayHarness.Create(
            config: new TenantConfig { Provider = "openai", Model = "gpt-test", ApiKey = protector.Protect(FakeLlmServer.OpenAiKey), BaseUrl = _llm.BaseUrl + "/v1" },
            registry: services.GetRequiredService<ILlmProviderRegistry>(),
            egress: LlmTestHelpers.TestServerPolicy(),
            secrets: protector);

        var reply = await harness.CallAsync("config.patch", """{"raw":{"baseUrl":"http://127.0.0.1:1/v1","apiKey":"dp1:stolen-ciphertext"}}""");

        Assert.False(reply.Ok);
        Assert.Contains("raw.apiKey", reply.Error!.Message);
    }
}
