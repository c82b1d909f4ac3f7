using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using OpenClaw.Grains.Agent;
using OpenClaw.Grains.Egress;
using OpenClaw.Grains.Gateway;
using OpenClaw.Grains.Tests.UserGrainTests;
using OpenClaw.Grains.Workspace;

namespace OpenClaw.Grains.Tests.Agent.WebMemorySessions;

/// <summary>Calls a tool as the agent loop would: with a run of a session and the tenant's gateway context.</summary>
internal static class ToolInvoker
{
    public static ChatRun Run(string sessionKey = "agent:main:main", TimeProvider? time = null) =>
        new(Guid.NewGuid().ToString(), "agent", SessionKey.TryParse(sessionKey, out _)!.Value, "prompt", RunKind.Agent, 0, TimeSpan.FromMinutes(5), time ?? TimeProvider.System);

    public static ToolRunContext Context(GatewayContext gateway, ChatRun? run = null) =>
        new() { Gateway = gateway, Run = run ?? Run(), ToolCallId = "call_" + Guid.NewGuid().ToString("N")[..8] };

    public static AgentToolCall Call(string name, object arguments) => new("call_1", name, JsonSerializer.SerializeToElement(arguments));

    public static Task<ToolResult> InvokeAsync(IAgentTool tool, GatewayContext gateway, object arguments, ChatRun? run = null) =>
        tool.ExecuteAsync(Call(tool.Name, arguments), Context(gateway, run), CancellationToken.None);

    public static JsonElement Details(ToolResult result) => JsonDocument.Parse(result.DetailsJson!).RootElement.Clone();

    /// <summary>A tenant's context with no runtime around it (enough for tools that use the workspace or the network).</summary>
    public static GatewayContext Gateway(TenantWorkspace? workspace = null, Grains.Agent.Web.WebFetcher? fetcher = null)
    {
        var options = new UserGrainOptions();
        var state = new PersistentUserStateStore(new TestStateStorage(), TestStateStorage.GrainType, "tenant-tools", options);
        return new GatewayContext("tenant-tools", options, state, new RecordingEventSink(), new FakeProviderRegistry(new ScriptedLlmProvider()),
            EgressPolicy.PublicOnly, TimeProvider.System, NullLogger.Instance)
        {
            Workspace = workspace,
            WebFetch = fetcher,
        };
    }
}
