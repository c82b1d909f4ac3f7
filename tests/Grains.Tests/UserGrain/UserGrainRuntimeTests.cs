using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Grains.Llm;
using OpenClaw.Grains.Workspace;
using OpenClaw.Runtime;
using OpenClaw.Runtime.TestingHost;

namespace OpenClaw.Grains.Tests.UserGrainTests;

/// <summary>The real <see cref="UserGrain"/> in a test silo: activation, DI, persisted state, observers, deactivation.</summary>
public sealed class UserGrainRuntimeTests : IAsyncLifetime
{
    private readonly string _workspaceRoot = Path.Combine(Path.GetTempPath(), "usergrain-tests-" + Guid.NewGuid().ToString("N"));
    private readonly InMemoryTenantStore _tenants = new();
    private readonly ScriptedLlmProvider _scripted = new("scripted");
    private TestSilo _silo = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(_workspaceRoot, "template"));
        await File.WriteAllTextAsync(Path.Combine(_workspaceRoot, "template", "IDENTITY.md"), "You are Claw, the tenant's assistant.");
        _tenants.Add(new TenantRecord { TenantId = "alice", Config = new TenantConfig { Provider = "echo", Model = "echo-1" } });
        _tenants.Add(new TenantRecord { TenantId = "carol", Config = new TenantConfig { Provider = "scripted", Model = "m" } });
        _silo = await TestSilo.StartAsync(typeof(UserGrain).Assembly, configureServices: services =>
        {
            services.AddSingleton<ITenantRegistry>(_tenants);
            services.AddTenantWorkspaces(options =>
            {
                options.WorkspaceRoot = Path.Combine(_workspaceRoot, "tenants");
                options.TemplatePath = Path.Combine(_workspaceRoot, "template");
            });
            services.AddUserGrains();
            services.AddLlmProviders(options => options.EchoChunkDelay = TimeSpan.Zero);
            services.AddSingleton<ILlmProviderRegistry>(sp => new FakeProviderRegistry([_scripted, .. sp.GetServices<ILlmProvider>()]));
        });
    }

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        Directory.Delete(_workspaceRoot, recursive: true);
    }

    [Fact]
    public async Task A_chat_streams_to_the_tenants_observers_and_its_transcript_survives_deactivation()
    {
        var grain = _silo.GrainFactory.GetGrain<IUserGrain>("alice");
        var observer = new CollectingObserver();
        var reference = _silo.GrainFactory.CreateObjectReference<ITenantEventObserver>(observer);
        await grain.Subscribe("conn-1", reference);

        var ack = await grain.Invoke(Call("chat.send", """{"sessionKey":"main","message":"hello there","idempotencyKey":"run-1"}"""));
        Assert.True(ack.Ok, ack.Error?.Message);
        var final = await observer.WaitForAsync(e => e.Event == "chat" && e.PayloadJson.Contains("\"state\":\"final\"", StringComparison.Ordinal));
        Assert.Contains("Echo: hello there", final.PayloadJson, StringComparison.Ordinal);
        Assert.True(_silo.IsActive<IUserGrain>("alice"));

        await _silo.DeactivateAsync<IUserGrain>("alice");
        Assert.False(_silo.IsActive<IUserGrain>("alice"));

        var history = await grain.Invoke(Call("chat.history", """{"sessionKey":"agent:main:main"}"""));
        var messages = JsonDocument.Parse(history.PayloadJson!).RootElement.GetProperty("messages");
        Assert.Equal(2, messages.GetArrayLength());
        Assert.Equal("Echo: hello there", messages[1].GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task The_identity_file_of_the_template_is_the_system_prompt()
    {
        var grain = _silo.GrainFactory.GetGrain<IUserGrain>("carol");
        var ack = await grain.Invoke(Call("agent", """{"message":"who are you?","idempotencyKey":"who"}"""));
        Assert.True(ack.FinalPending);
        var final = await grain.InvokeInterleaved(Call(GatewayMethodCatalog.AgentFinal, """{"runId":"who"}"""));
        Assert.True(final.Ok, final.Error?.Message);

        var request = Assert.Single(_scripted.Calls).Request;
        Assert.Equal("system", request.Messages[0].Role);
        Assert.Contains("You are Claw, the tenant's assistant.", request.Messages[0].Content, StringComparison.Ordinal);
        Assert.Equal(new LlmMessage("user", "who are you?"), request.Messages[^1]);
    }

    [Fact]
    public async Task Calls_are_answered_while_a_final_agent_answer_waits_and_abort_interleaves()
    {
        var grain = _silo.GrainFactory.GetGrain<IUserGrain>("carol");
        _scripted.Control();
        var ack = await grain.Invoke(Call("agent", """{"message":"long job","idempotencyKey":"job"}"""));
        Assert.True(ack.Ok, ack.Error?.Message);
        var final = grain.InvokeInterleaved(Call(GatewayMethodCatalog.AgentFinal, """{"runId":"job"}"""));
        await _scripted.Started.Task;

        var list = grain.Invoke(Call("sessions.list", "{}"));
        Assert.Same(list, await Task.WhenAny(list, Task.Delay(TimeSpan.FromSeconds(5))));
        Assert.True((await list).Ok);
        Assert.False(final.IsCompleted);

        var abort = await grain.InvokeInterleaved(Call("chat.abort", """{"sessionKey":"main","runId":"job"}"""));
        Assert.Contains("\"aborted\":true", abort.PayloadJson, StringComparison.Ordinal);
        var reply = await final;
        Assert.Contains("\"summary\":\"aborted\"", reply.PayloadJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unregistered_tenant_gets_unavailable_and_is_not_kept_active()
    {
        var grain = _silo.GrainFactory.GetGrain<IUserGrain>("bob");
        var reply = await grain.Invoke(Call("health", "{}"));
        Assert.False(reply.Ok);
        Assert.Equal(GatewayErrorCodes.Unavailable, reply.Error!.Code);
        Assert.Equal("tenant \"bob\" is not registered", reply.Error.Message);

        for (var i = 0; i < 50 && _silo.IsActive<IUserGrain>("bob"); i++)
        {
            await Task.Delay(20);
        }

        Assert.False(_silo.IsActive<IUserGrain>("bob"));
    }

    [Fact]
    public async Task One_subscriber_per_edge_gets_session_events_with_the_subscribed_connections_as_audience()
    {
        var grain = _silo.GrainFactory.GetGrain<IUserGrain>("alice");
        var edge = new CollectingObserver();
        await grain.Subscribe("edge-1/1", _silo.GrainFactory.CreateObjectReference<ITenantEventObserver>(edge));
        var subscribe = await grain.Invoke(Call("sessions.subscribe", "{}") with { ConnectionId = "socket-7" });
        Assert.True(subscribe.Ok, subscribe.Error?.Message);

        var ack = await grain.Invoke(Call("chat.send", """{"sessionKey":"main","message":"hi","idempotencyKey":"run-a"}"""));
        Assert.True(ack.Ok, ack.Error?.Message);

        // Run events go to every socket; session events only to socket-7, named in the audience.
        var chat = await edge.WaitForAsync(e => e.Event == "chat");
        Assert.Null(chat.Audience);
        var changed = await edge.WaitForAsync(e => e.Event == "sessions.changed");
        Assert.Equal(["socket-7"], changed.Audience);

        // socket-7 closed: the edge tells the grain; later session events have nobody to go to.
        await grain.Unsubscribe("socket-7");
        await edge.WaitForAsync(e => e.Event == "chat" && e.PayloadJson.Contains("\"state\":\"final\"", StringComparison.Ordinal));
        var seen = edge.Count;
        var second = await grain.Invoke(Call("chat.send", """{"sessionKey":"main","message":"again","idempotencyKey":"run-b"}"""));
        Assert.True(second.Ok, second.Error?.Message);
        await edge.WaitForAsync(e => e.Event == "chat" && e.PayloadJson.Contains("run-b", StringComparison.Ordinal)
            && e.PayloadJson.Contains("\"state\":\"final\"", StringComparison.Ordinal));
        Assert.DoesNotContain(edge.Snapshot().Skip(seen), e => e.Event is "sessions.changed" or "session.message");
    }

    [Fact]
    public async Task Deactivation_tells_the_subscribers_to_subscribe_again()
    {
        var grain = _silo.GrainFactory.GetGrain<IUserGrain>("alice");
        var edge = new CollectingObserver();
        await grain.Subscribe("edge-1/1", _silo.GrainFactory.CreateObjectReference<ITenantEventObserver>(edge));

        await _silo.DeactivateAsync<IUserGrain>("alice");

        await edge.WaitForAsync(e => e.Event == TenantEventSubscription.ResubscribeEvent);
    }

    private static GatewayCall Call(string method, string paramsJson) => new()
    {
        Method = method,
        ParamsJson = paramsJson,
        ConnectionId = "conn-1",
        Scopes = GatewayHarness.AllScopes,
    };

    private sealed class CollectingObserver : ITenantEventObserver
    {
        private readonly ConcurrentQueue<TenantEvent> _events = new();

        public void OnEvent(TenantEvent tenantEvent) => _events.Enqueue(tenantEvent);

        public int Count => _events.Count;

        public TenantEvent[] Snapshot() => [.. _events];

        public async Task<TenantEvent> WaitForAsync(Func<TenantEvent, bool> predicate)
        {
            for (var i = 0; i < 500; i++)
            {
                if (_events.FirstOrDefault(predicate) is { } match)
                {
                    return match;
                }

                await Task.Delay(10);
            }

            throw new TimeoutException("events: " + string.Join(", ", _events.Select(e => e.Event)));
        }
    }

    /// <summary>Only what the grain reads (<see cref="ITenantRegistry.GetAsync"/>); the registries themselves are tested in Tenants/.</summary>
    private sealed class InMemoryTenantStore : ITenantRegistry
    {
        private readonly ConcurrentDictionary<string, TenantRecord> _tenants = new();

        public void Add(TenantRecord tenant) => _tenants[tenant.TenantId] = tenant;

        public Task<TenantRecord?> GetAsync(string tenantId, CancellationToken cancellationToken) =>
            Task.FromResult(_tenants.GetValueOrDefault(tenantId));

        public Task<TenantPage> ListAsync(TenantQuery query, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<long> CountAsync(TenantStatus? status, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<TenantRecord> CreateAsync(TenantRecord tenant, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<TenantRecord> UpsertAsync(TenantRecord tenant, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<int> UpsertManyAsync(IReadOnlyList<TenantRecord> tenants, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<bool> SetStatusAsync(string tenantId, TenantStatus status, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<bool> PurgeAsync(string tenantId, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<IssuedTenantToken> IssueTokenAsync(string tenantId, TenantTokenRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<TenantTokenInfo> AddTokenAsync(string tenantId, string plaintextToken, TenantTokenRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<TenantTokenInfo> AddTokenHashAsync(string tenantId, string tokenHash, TenantTokenRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<IReadOnlyList<TenantTokenInfo>> ListTokensAsync(string tenantId, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<IssuedTenantToken> RotateTokenAsync(string tenantId, string tokenId, TimeSpan overlap, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<bool> RevokeTokenAsync(string tenantId, string tokenId, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<int> RevokeAllTokensAsync(string tenantId, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<string?> FindTenantByTokenAsync(string plaintextToken, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
