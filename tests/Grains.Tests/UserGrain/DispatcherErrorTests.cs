using System.Text.Json;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Grains.Llm;

namespace OpenClaw.Grains.Tests.UserGrainTests;

/// <summary>Unknown methods, missing scopes, bad params and an unavailable tenant: the protocol's error shapes, never an exception.</summary>
public sealed class DispatcherErrorTests
{
    [Fact]
    public async Task Every_catalog_method_has_a_handler()
    {
        using var harness = GatewayHarness.Create();
        Assert.Equal(
            GatewayMethodCatalog.Methods.Keys.Append(GatewayMethodCatalog.AgentFinal).Order(),
            harness.Dispatcher.Methods.Order());
        foreach (var method in GatewayMethodCatalog.Methods.Keys)
        {
            var reply = await harness.CallAsync(method, "{}");
            Assert.False(reply.Error?.Message.StartsWith("unknown method", StringComparison.Ordinal) ?? false, method);
        }
    }

    [Fact]
    public async Task An_unknown_method_is_an_invalid_request()
    {
        using var harness = GatewayHarness.Create();
        var reply = await harness.CallAsync("node.teleport", "{}");
        Assert.False(reply.Ok);
        Assert.Equal(GatewayErrorCodes.InvalidRequest, reply.Error!.Code);
        Assert.Equal("unknown method: node.teleport", reply.Error.Message);
    }

    [Fact]
    public async Task A_missing_scope_is_forbidden_with_the_reference_details()
    {
        using var harness = GatewayHarness.Create();
        var reply = await harness.CallAsync("sessions.list", "{}", scopes: []);

        Assert.False(reply.Ok);
        Assert.Equal(GatewayErrorCodes.Forbidden, reply.Error!.Code);
        Assert.Equal("missing scope: operator.read", reply.Error.Message);
        var details = JsonDocument.Parse(reply.Error.DetailsJson!).RootElement;
        Assert.Equal("MISSING_SCOPE", details.GetProperty("code").GetString());
        Assert.Equal("operator.read", details.GetProperty("missingScope").GetString());
        Assert.Equal(["operator.read"], details.GetProperty("requiredScopes").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(
            """{"code":"MISSING_SCOPE","missingScope":"operator.read","requiredScopes":["operator.read"]}""",
            reply.Error.DetailsJson);
    }

    [Theory]
    [InlineData("chat.send", "operator.read", "operator.write")]
    [InlineData("agent", "operator.read", "operator.write")]
    [InlineData("config.patch", "operator.write", "operator.admin")]
    [InlineData("sessions.reset", "operator.write", "operator.admin")]
    [InlineData("plugin.approval.list", "operator.read", "operator.approvals")]
    [InlineData(GatewayMethodCatalog.AgentFinal, "operator.read", "operator.write")]
    public async Task Methods_need_their_catalog_scope(string method, string granted, string missing)
    {
        using var harness = GatewayHarness.Create();
        var reply = await harness.CallAsync(method, "{}", scopes: [granted]);
        Assert.Equal(GatewayErrorCodes.Forbidden, reply.Error?.Code);
        Assert.Equal($"missing scope: {missing}", reply.Error!.Message);
    }

    [Fact]
    public async Task Health_answers_without_scopes_and_write_implies_read()
    {
        using var harness = GatewayHarness.Create();
        Assert.True((await harness.CallAsync("health", "{}", scopes: [])).Ok);
        Assert.True((await harness.CallAsync("sessions.list", "{}", scopes: [GatewayMethodCatalog.ScopeWrite])).Ok);
        Assert.True((await harness.CallAsync("config.patch", """{"raw":{}}""", scopes: [GatewayMethodCatalog.ScopeAdmin])).Ok);
    }

    [Theory]
    [InlineData("chat.send", "{", "params must be valid JSON")]
    [InlineData("chat.send", "[1,2]", "params must be an object")]
    [InlineData("chat.send", "\"text\"", "params must be an object")]
    [InlineData("chat.send", """{"message":"hi","idempotencyKey":"k"}""", "must have required property 'sessionKey'")]
    [InlineData("chat.send", """{"sessionKey":"main","idempotencyKey":"k"}""", "must have required property 'message'")]
    [InlineData("chat.send", """{"sessionKey":"main","message":"hi"}""", "must have required property 'idempotencyKey'")]
    [InlineData("chat.send", """{"sessionKey":"main","message":"  ","idempotencyKey":"k"}""", "'message' must NOT be empty")]
    [InlineData("chat.send", """{"sessionKey":42,"message":"hi","idempotencyKey":"k"}""", "'sessionKey' must be a string")]
    [InlineData("chat.send", """{"sessionKey":"main","message":"hi","idempotencyKey":"k","timeoutMs":"soon"}""", "'timeoutMs' must be an integer")]
    [InlineData("chat.send", """{"sessionKey":"main","message":"hi","idempotencyKey":"k","deliver":"no"}""", "'deliver' must be a boolean")]
    [InlineData("chat.send", """{"sessionKey":"main","message":"hi","idempotencyKey":"k","attachments":[{"type":"image"}]}""", "attachments are not supported by this gateway")]
    [InlineData("chat.send", """{"sessionKey":"agent::x","message":"hi","idempotencyKey":"k"}""", "'sessionKey' must look like agent:<agentId>:<name>")]
    [InlineData("chat.send", """{"sessionKey":"agent:ops:main","message":"hi","idempotencyKey":"k"}""", "unknown agent id \"ops\" (this gateway has one agent: \"main\")")]
    [InlineData("chat.history", """{"sessionKey":"main","limit":0}""", "'limit' must be >= 1")]
    [InlineData("chat.history", """{"sessionKey":"main","limit":1001}""", "'limit' must be <= 1000")]
    [InlineData("chat.history", """{"sessionKey":"main","limit":2.5}""", "'limit' must be an integer")]
    [InlineData("chat.history", "{}", "must have required property 'sessionKey'")]
    [InlineData("sessions.list", """{"limit":"5"}""", "'limit' must be an integer")]
    [InlineData("sessions.describe", """{"key":""}""", "'key' must NOT be empty")]
    [InlineData("chat.abort", """{"runId":"r"}""", "must have required property 'sessionKey'")]
    [InlineData("agent", """{"idempotencyKey":"k"}""", "must have required property 'message'")]
    [InlineData("agent", """{"message":"hi","idempotencyKey":"k","timeout":-1}""", "'timeout' must be >= 0")]
    [InlineData("agent.wait", "{}", "must have required property 'runId'")]
    [InlineData("config.patch", "{}", "must have required property 'raw'")]
    public async Task Bad_params_are_invalid_requests_naming_the_problem(string method, string paramsJson, string problem)
    {
        using var harness = GatewayHarness.Create();
        var reply = await harness.CallAsync(method, paramsJson);
        Assert.False(reply.Ok);
        Assert.Equal(GatewayErrorCodes.InvalidRequest, reply.Error!.Code);
        Assert.Equal($"invalid {method} params: {problem}", reply.Error.Message);
    }

    [Fact]
    public async Task An_overlong_session_key_is_refused()
    {
        using var harness = GatewayHarness.Create();
        var reply = await harness.CallAsync("chat.history", new { sessionKey = new string('x', 513) });
        Assert.Equal("invalid chat.history params: 'sessionKey' must NOT have more than 512 characters", reply.Error?.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("null")]
    public async Task Absent_params_count_as_an_empty_object(string? paramsJson)
    {
        using var harness = GatewayHarness.Create();
        Assert.True((await harness.CallAsync("sessions.list", paramsJson)).Ok);
        Assert.Equal("invalid chat.history params: must have required property 'sessionKey'", (await harness.CallAsync("chat.history", paramsJson)).Error?.Message);
    }

    [Fact]
    public async Task A_bare_session_name_means_that_session_of_the_default_agent()
    {
        using var harness = GatewayHarness.Create();
        var history = await harness.OkAsync("chat.history", new { sessionKey = "work" });
        Assert.Equal("agent:main:work", history.GetProperty("sessionKey").GetString());
        var upper = await harness.OkAsync("chat.history", new { sessionKey = "AGENT:Main:Work" });
        Assert.Equal("agent:main:Work", upper.GetProperty("sessionKey").GetString());
    }

    [Fact]
    public async Task An_unknown_tenant_gets_unavailable_but_unknown_methods_and_scopes_are_checked_first()
    {
        using var harness = GatewayHarness.Create(tenantMissing: true);

        var reply = await harness.CallAsync("health", "{}");
        Assert.False(reply.Ok);
        Assert.Equal(GatewayErrorCodes.Unavailable, reply.Error!.Code);
        Assert.Equal($"tenant \"{GatewayHarness.TenantId}\" is not registered", reply.Error.Message);
        Assert.Equal("unknown method: nope", (await harness.CallAsync("nope", "{}")).Error?.Message);
        Assert.Equal(GatewayErrorCodes.Forbidden, (await harness.CallAsync("status", "{}", scopes: [])).Error?.Code);
    }

    [Fact]
    public async Task A_failing_handler_becomes_a_retryable_unavailable_error()
    {
        using var harness = GatewayHarness.Create(registry: new ThrowingRegistry());
        var reply = await harness.CallAsync("config.patch", """{"raw":{"provider":"openai"}}""");
        Assert.False(reply.Ok);
        Assert.Equal(GatewayErrorCodes.Unavailable, reply.Error!.Code);
        Assert.Equal("config.patch failed: internal error", reply.Error.Message);
        Assert.True(reply.Error.Retryable);
    }

    private sealed class ThrowingRegistry : ILlmProviderRegistry
    {
        public ILlmProvider Get(string providerName) => throw new InvalidOperationException("registry is broken");
    }
}
