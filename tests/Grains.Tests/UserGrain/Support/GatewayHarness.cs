using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using OpenClaw.Grains.Egress;
using OpenClaw.Grains.Gateway;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Grains.Llm;
using OpenClaw.Runtime.TestingHost;

namespace OpenClaw.Grains.Tests.UserGrainTests;

/// <summary>
/// A tenant's gateway without the runtime: the dispatcher and its context on a single-threaded
/// activation context, with a recording event sink, in-memory state, a scripted provider and a
/// manual clock.
/// </summary>
internal sealed class GatewayHarness : IDisposable
{
    public const string TenantId = "tenant-a";
    public const string Connection = "conn-1";
    public const string HarnessSession = "agent:main:harness";

    public static readonly string[] AllScopes =
        [GatewayMethodCatalog.ScopeAdmin, GatewayMethodCatalog.ScopeRead, GatewayMethodCatalog.ScopeWrite, GatewayMethodCatalog.ScopeApprovals];

    private GatewayHarness(UserGrainOptions options, TenantRecord? tenant, TestStateStorage storage, ScriptedLlmProvider provider, ManualTimeProvider time, ILlmProviderRegistry? registry, EgressPolicy egress, Microsoft.Extensions.Logging.ILogger? logger, OpenClaw.Grains.Secrets.ITenantSecretProtector? secrets = null, IReadOnlyList<OpenClaw.Grains.Agent.IAgentTool>? tools = null, OpenClaw.Grains.Gateway.Cron.ITenantSchedule? schedule = null)
    {
        Options = options;
        Storage = storage;
        Provider = provider;
        Time = time;
        var state = new PersistentUserStateStore(storage, TestStateStorage.GrainType, TenantId, options);
        Context = new GatewayContext(TenantId, options, state, Events, registry ?? new FakeProviderRegistry(provider, new ScriptedLlmProvider("openai")), egress, time, logger ?? NullLogger.Instance)
        {
            RunsActiveChanged = active => PinChanges.Add(active),
            Secrets = secrets,
            ToolsOverride = tools!,
            Schedule = schedule,
        };
        if (tenant is null)
        {
            Context.SetUnavailable($"tenant \"{TenantId}\" is not registered");
        }
        else
        {
            Context.SetTenant(tenant);
        }

        Dispatcher = new GatewayDispatcher(Context);

        // As the grain's activation does before its first call.
        Activation.RunAsync(async () =>
        {
            await Context.LoadStateAsync();
            return true;
        }).GetAwaiter().GetResult();
    }

    public ActivationContext Activation { get; } = new();

    public RecordingEventSink Events { get; } = new();

    public UserGrainOptions Options { get; }

    /// <summary>Where the tenant's state is stored; <see cref="TestStateStorage.Snapshot"/> is what a crash now would leave.</summary>
    public TestStateStorage Storage { get; }

    /// <summary>The tenant's state as the handlers see it (read it on the activation, see <see cref="Read{T}"/>).</summary>
    public IUserStateStore State => Context.State;

    public ScriptedLlmProvider Provider { get; }

    public ManualTimeProvider Time { get; }

    public GatewayContext Context { get; }

    public GatewayDispatcher Dispatcher { get; }

    /// <summary>What the context asked the grain: pin (true) / unpin (false).</summary>
    public List<bool> PinChanges { get; } = [];

    public static TenantRecord Tenant(TenantConfig? config = null) => new()
    {
        TenantId = TenantId,
        DisplayName = "Tenant A",
        Config = config ?? new TenantConfig { Provider = "echo", Model = "echo-1", ApiKey = "sk-tenant-secret-key-123" },
    };

    public static GatewayHarness Create(
        Action<UserGrainOptions>? configure = null,
        TenantConfig? config = null,
        TestStateStorage? storage = null,
        bool tenantMissing = false,
        ScriptedLlmProvider? provider = null,
        ManualTimeProvider? time = null,
        ILlmProviderRegistry? registry = null,
        EgressPolicy? egress = null,
        Microsoft.Extensions.Logging.ILogger? logger = null,
        OpenClaw.Grains.Secrets.ITenantSecretProtector? secrets = null,
        IReadOnlyList<OpenClaw.Grains.Agent.IAgentTool>? tools = null,
        OpenClaw.Grains.Gateway.Cron.ITenantSchedule? schedule = null)
    {
        var options = new UserGrainOptions();
        configure?.Invoke(options);
        return new GatewayHarness(options, tenantMissing ? null : Tenant(config), storage ?? new TestStateStorage(),
            provider ?? new ScriptedLlmProvider(), time ?? new ManualTimeProvider(), registry, egress ?? EgressPolicy.PublicOnly, logger, secrets, tools, schedule);
    }

    /// <summary>Calls a method as a connection with every operator scope (unless <paramref name="scopes"/> says otherwise).</summary>
    public Task<GatewayReply> CallAsync(string method, string? paramsJson = "{}", IReadOnlyList<string>? scopes = null, string connection = Connection)
    {
        var call = new GatewayCall
        {
            Method = method,
            ParamsJson = paramsJson,
            ConnectionId = connection,
            RequestId = Guid.NewGuid().ToString(),
            Scopes = scopes ?? AllScopes,
            ClientId = "openclaw-tui",
            ClientMode = "ui",
        };
        return Activation.RunAsync(() => Dispatcher.InvokeAsync(call));
    }

    public Task<GatewayReply> CallAsync(string method, object parameters, IReadOnlyList<string>? scopes = null, string connection = Connection) =>
        CallAsync(method, JsonSerializer.Serialize(parameters), scopes, connection);

    /// <summary>Calls and asserts success; returns the payload.</summary>
    public async Task<JsonElement> OkAsync(string method, object? parameters = null)
    {
        var reply = await CallAsync(method, parameters is null ? "{}" : JsonSerializer.Serialize(parameters));
        Assert.True(reply.Ok, $"{method} failed: {reply.Error?.Code} {reply.Error?.Message}");
        return Payload(reply);
    }

    /// <summary>chat.send and wait for the run's last event; returns the run id.</summary>
    public async Task<string> ChatAsync(string message, string sessionKey = HarnessSession, string? idempotencyKey = null)
    {
        var key = idempotencyKey ?? Guid.NewGuid().ToString();
        var ack = await OkAsync("chat.send", new { sessionKey, message, idempotencyKey = key, deliver = false });
        var runId = ack.GetProperty("runId").GetString()!;
        await Events.WaitForChatEndAsync(runId);
        await SettledAsync();
        return runId;
    }

    /// <summary>Lets everything already queued on the activation run (e.g. a finished run's save).</summary>
    public async Task SettledAsync()
    {
        for (var i = 0; i < 5; i++)
        {
            await Activation.RunAsync(() => Task.Delay(1).ContinueWith(_ => true, TaskScheduler.Default));
        }
    }

    /// <summary>Reads the context on the activation's thread.</summary>
    public Task<T> Read<T>(Func<GatewayContext, T> read) => Activation.Run(() => read(Context));

    public static JsonElement Payload(GatewayReply reply) =>
        reply.PayloadJson is null ? default : JsonDocument.Parse(reply.PayloadJson).RootElement.Clone();

    public void Dispose() => Activation.Dispose();
}
