using System.Text.Json;
using OpenClaw.Grains.Gateway;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.Tests.UserGrainTests;

/// <summary><c>config.get</c> (the tenant's own config, secrets redacted) and <c>config.patch</c> (validated, persisted, never echoing secrets).</summary>
public sealed class ConfigMethodTests
{
    private const string TenantKey = "sk-tenant-secret-key-123";

    [Fact]
    public async Task Config_get_shows_the_tenants_config_with_the_key_redacted()
    {
        using var harness = GatewayHarness.Create();
        var reply = await harness.CallAsync("config.get", "{}");

        Assert.DoesNotContain(TenantKey, reply.PayloadJson, StringComparison.Ordinal);
        var payload = GatewayHarness.Payload(reply);
        var config = payload.GetProperty("config");
        Assert.Equal("echo", config.GetProperty("provider").GetString());
        Assert.Equal("echo-1", config.GetProperty("model").GetString());
        Assert.Equal(ConfigPatch.RedactedPlaceholder, config.GetProperty("apiKey").GetString());
        Assert.Equal("OpenClaw", config.GetProperty("agentName").GetString());
        Assert.Matches("^[0-9a-f]{64}$", payload.GetProperty("hash").GetString());
        Assert.Equal(config.GetRawText(), JsonDocument.Parse(payload.GetProperty("raw").GetString()!).RootElement.GetRawText());
        Assert.True(payload.GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task A_tenant_without_a_key_shows_null()
    {
        using var harness = GatewayHarness.Create(config: new TenantConfig());
        var config = (await harness.OkAsync("config.get")).GetProperty("config");
        Assert.Equal(JsonValueKind.Null, config.GetProperty("apiKey").ValueKind);
    }

    [Fact]
    public async Task Config_patch_changes_the_config_persists_it_and_never_echoes_the_key()
    {
        using var harness = GatewayHarness.Create();
        var before = (await harness.OkAsync("config.get")).GetProperty("hash").GetString();

        var reply = await harness.CallAsync("config.patch", new
        {
            raw = new { provider = "openai", model = "gpt-test", apiKey = "sk-new-secret-456", baseUrl = "https://llm.example/v1" },
            baseHash = before,
        });

        Assert.True(reply.Ok, reply.Error?.Message);
        Assert.DoesNotContain("sk-new-secret-456", reply.PayloadJson, StringComparison.Ordinal);
        var patched = GatewayHarness.Payload(reply);
        Assert.True(patched.GetProperty("ok").GetBoolean());
        Assert.Equal("gpt-test", patched.GetProperty("config").GetProperty("model").GetString());
        Assert.Equal(ConfigPatch.RedactedPlaceholder, patched.GetProperty("config").GetProperty("apiKey").GetString());
        Assert.NotEqual(before, patched.GetProperty("hash").GetString());

        // Persisted in the profile state.
        var stored = harness.Storage.Load().Profile.Config;
        Assert.Equal(("openai", "gpt-test", "sk-new-secret-456", "https://llm.example/v1"), (stored.Provider, stored.Model, stored.ApiKey, stored.BaseUrl));

        // Runs use it.
        var openai = (ScriptedLlmProvider)harness.Context.Providers.Get("openai");
        await harness.ChatAsync("hi");
        Assert.Equal("gpt-test", openai.Calls[^1].Request.Model);
        Assert.Equal("sk-new-secret-456", openai.Calls[^1].Endpoint.ApiKey);
        Assert.Equal("https://llm.example/v1", openai.Calls[^1].Endpoint.BaseUrl);
        Assert.DoesNotContain(harness.Events.Events, e => e.Json.Contains("sk-new-secret-456", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sending_back_the_placeholder_keeps_the_key_and_null_goes_back_to_the_tenant_record()
    {
        using var harness = GatewayHarness.Create();
        await harness.OkAsync("config.patch", new { raw = new { apiKey = "sk-override", model = "echo-2" } });
        var hash = (await harness.OkAsync("config.get")).GetProperty("hash").GetString();

        await harness.OkAsync("config.patch", new { raw = new { apiKey = ConfigPatch.RedactedPlaceholder, agentName = "Claw" } });
        Assert.Equal("sk-override", await harness.Read(c => c.Config.ApiKey));
        Assert.NotEqual(hash, (await harness.OkAsync("config.get")).GetProperty("hash").GetString());

        await harness.CallAsync("config.patch", """{"raw":{"apiKey":null,"model":null}}""");
        var config = await harness.Read(c => c.Config);
        Assert.Equal((TenantKey, "echo-1", "Claw"), (config.ApiKey, config.Model, config.AgentName));
    }

    [Fact]
    public async Task The_patch_may_be_sent_as_json_text_as_official_clients_do()
    {
        using var harness = GatewayHarness.Create();
        var reply = await harness.CallAsync("config.patch", new { raw = """{"model":"echo-3"}""" });
        Assert.True(reply.Ok, reply.Error?.Message);
        Assert.Equal("echo-3", await harness.Read(c => c.Config.Model));
    }

    [Theory]
    [InlineData("""{"raw":{"temperature":"1"}}""", "unknown config key 'raw.temperature' (known: provider, model, apiKey, baseUrl, agentName, systemPrompt, userTimezone, tools, heartbeat)")]
    [InlineData("""{"raw":{"provider":"acme"}}""", "'raw.provider' names an unknown provider \"acme\"")]
    [InlineData("""{"raw":{"model":""}}""", "'raw.model' must NOT be empty (use null to go back to the default)")]
    [InlineData("""{"raw":{"model":5}}""", "'raw.model' must be a string or null")]
    [InlineData("""{"raw":{"baseUrl":"ftp://x"}}""", "'raw.baseUrl' must be an absolute http or https URL")]
    [InlineData("""{"raw":{"baseUrl":"https://user:pw@host/v1"}}""", "'raw.baseUrl' must not contain credentials; use 'raw.apiKey'")]
    [InlineData("""{"raw":[1]}""", "'raw' must be a JSON object")]
    [InlineData("""{"raw":"{not json"}""", "'raw' is not valid JSON")]
    public async Task Invalid_patches_are_refused_and_change_nothing(string paramsJson, string problem)
    {
        using var harness = GatewayHarness.Create();
        var reply = await harness.CallAsync("config.patch", paramsJson);

        Assert.Equal(GatewayErrorCodes.InvalidRequest, reply.Error?.Code);
        Assert.Equal($"invalid config.patch params: {problem}", reply.Error!.Message);
        Assert.True(await harness.Read(c => c.State.Profile.Config.IsEmpty));
        Assert.Empty(harness.Storage.Writes);
    }

    [Theory]
    [InlineData("http://2130706433/v1")]
    [InlineData("http://0x7f000001/v1")]
    [InlineData("http://017700000001/v1")]
    [InlineData("http://0177.0.0.1/v1")]
    [InlineData("http://127.1/v1")]
    [InlineData("http://127.0.0.1./v1")]
    [InlineData("http://[::ffff:127.0.0.1]/v1")]
    [InlineData("http://[::ffff:7f00:1]/v1")]
    [InlineData("http://[::1]:8080/v1")]
    [InlineData("http://[::]/v1")]
    [InlineData("http://0.0.0.0/v1")]
    [InlineData("http://0/v1")]
    [InlineData("http://localhost:11434/v1")]
    [InlineData("http://LOCALHOST./v1")]
    [InlineData("http://api.localhost/v1")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://10.0.0.5/v1")]
    [InlineData("http://172.16.3.4/v1")]
    [InlineData("http://192.168.1.1/v1")]
    [InlineData("http://100.64.0.1/v1")]
    [InlineData("http://224.0.0.1/v1")]
    [InlineData("http://255.255.255.255/v1")]
    [InlineData("http://[fd00::1]/v1")]
    [InlineData("http://[fe80::1%25eth0]/v1")]
    [InlineData("http://[64:ff9b::a00:1]/v1")]
    [InlineData("http://[2002:7f00:1::]/v1")]
    public async Task Base_urls_naming_an_internal_address_in_any_notation_are_refused(string url)
    {
        using var harness = GatewayHarness.Create();
        var reply = await harness.CallAsync("config.patch", new { raw = new { baseUrl = url } });

        Assert.Equal(GatewayErrorCodes.InvalidRequest, reply.Error?.Code);
        Assert.Equal("invalid config.patch params: 'raw.baseUrl' is not allowed: it points to a private or internal address", reply.Error!.Message);
        Assert.True(await harness.Read(c => c.State.Profile.Config.IsEmpty));
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("gopher://example.com/")]
    [InlineData("ws://example.com/v1")]
    public async Task Base_urls_with_other_schemes_are_refused(string url)
    {
        using var harness = GatewayHarness.Create();
        var reply = await harness.CallAsync("config.patch", new { raw = new { baseUrl = url } });

        Assert.Equal(GatewayErrorCodes.InvalidRequest, reply.Error?.Code);
        Assert.Equal("invalid config.patch params: 'raw.baseUrl' must be an absolute http or https URL", reply.Error!.Message);
    }

    [Fact]
    public async Task A_stale_base_hash_is_refused()
    {
        using var harness = GatewayHarness.Create();
        var reply = await harness.CallAsync("config.patch", new { raw = new { model = "x" }, baseHash = new string('0', 64) });
        Assert.Equal(GatewayErrorCodes.InvalidRequest, reply.Error?.Code);
        Assert.StartsWith("config changed since it was loaded", reply.Error!.Message);
    }

    [Fact]
    public async Task A_patch_that_cannot_be_saved_is_undone_and_reported()
    {
        using var harness = GatewayHarness.Create();
        harness.Storage.FailWith = new IOException("disk full");
        var reply = await harness.CallAsync("config.patch", new { raw = new { model = "x" } });

        Assert.Equal(GatewayErrorCodes.Unavailable, reply.Error?.Code);
        Assert.True(reply.Error!.Retryable);
        Assert.Equal("echo-1", await harness.Read(c => c.Config.Model));
    }
}
