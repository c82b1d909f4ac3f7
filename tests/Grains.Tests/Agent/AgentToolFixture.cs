using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenClaw.Grains.Agent;
using OpenClaw.Grains.Egress;
using OpenClaw.Grains.Gateway;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Grains.Tests.UserGrainTests;
using OpenClaw.Grains.Tests.Workspace;
using OpenClaw.Grains.Workspace;
using OpenClaw.Runtime.TestingHost;

namespace OpenClaw.Grains.Tests.Agent;

/// <summary>
/// Tenants with real workspaces (a temp template plus overlays) and gateway contexts, to call the
/// agent's tools and build prompts without a model.
/// </summary>
internal sealed class AgentToolFixture : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly Dictionary<string, GatewayContext> _contexts = [];
    private readonly TenantWorkspaceFactory _factory;

    public AgentToolFixture(Action<WorkspaceOptions>? configure = null)
    {
        TemplateRoot = _temp.Combine("template");
        WorkspaceRoot = _temp.Combine("workspaces");
        Directory.CreateDirectory(TemplateRoot);
        var options = new WorkspaceOptions { WorkspaceRoot = WorkspaceRoot, TemplatePath = TemplateRoot, MaxFileBytes = 64 * 1024 };
        configure?.Invoke(options);
        _factory = new TenantWorkspaceFactory(Microsoft.Extensions.Options.Options.Create(options));
    }

    public string TemplateRoot { get; }

    public string WorkspaceRoot { get; }

    public string Outside => _temp.Combine("outside");

    public ManualTimeProvider Time { get; } = new();

    public UserGrainOptions Options { get; } = new();

    public string OverlayOf(string tenantId) => Path.Join(WorkspaceRoot, tenantId);

    public void Template(string relativePath, string content)
    {
        var full = Path.Join(TemplateRoot, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
    }

    public GatewayContext Context(string tenantId = "alice", string plan = "free", TenantConfig? config = null)
    {
        if (_contexts.TryGetValue(tenantId, out var existing))
        {
            return existing;
        }

        var state = new PersistentUserStateStore(new TestStateStorage(), TestStateStorage.GrainType, tenantId, Options);
        var context = new GatewayContext(tenantId, Options, state, new RecordingEventSink(), new FakeProviderRegistry(new ScriptedLlmProvider()), EgressPolicy.PublicOnly, Time, NullLogger.Instance)
        {
            Workspace = _factory.ForTenant(tenantId),
        };
        context.SetTenant(new TenantRecord { TenantId = tenantId, Plan = plan, Config = config ?? new TenantConfig { Provider = "echo", Model = "echo-1" } });
        context.LoadStateAsync().GetAwaiter().GetResult();
        _contexts[tenantId] = context;
        return context;
    }

    public static ChatRun Run(string sessionKey = "agent:main:main", RunKind kind = RunKind.Chat, string? clientMode = "ui")
    {
        var key = SessionKey.TryParse(sessionKey, out _)!.Value;
        return new ChatRun(Guid.NewGuid().ToString(), "chat.send", key, "hello", kind, 0, TimeSpan.FromMinutes(1), TimeProvider.System) { ClientMode = clientMode };
    }

    public async Task<ToolResult> CallAsync(string tool, object args, string tenantId = "alice")
    {
        var context = Context(tenantId);
        var implementation = context.Tools.Single(t => t.Name == tool);
        var json = JsonSerializer.SerializeToElement(args);
        var run = Run();
        return await implementation.ExecuteAsync(
            new AgentToolCall("call_1", tool, json),
            new ToolRunContext { Gateway = context, Run = run, ToolCallId = "call_1" },
            CancellationToken.None);
    }

    /// <summary>Calls the tool and returns the refusal it throws.</summary>
    public async Task<AgentToolException> RefusedAsync(string tool, object args, string tenantId = "alice") =>
        await Assert.ThrowsAsync<AgentToolException>(() => CallAsync(tool, args, tenantId));

    public static JsonElement Details(ToolResult result) => JsonDocument.Parse(result.DetailsJson!).RootElement.Clone();

    /// <summary>Every file under the directory (relative, '/'), to show that nothing was written.</summary>
    public static string[] FilesUnder(string directory) =>
        Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(directory, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToArray()
            : [];

    public void Dispose() => _temp.Dispose();
}
