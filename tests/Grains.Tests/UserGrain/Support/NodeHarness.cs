using System.Text.Json;
using OpenClaw.Grains.Agent;
using OpenClaw.Grains.Gateway;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.Tests.UserGrainTests;

/// <summary>
/// Plays the edge and the tenant's node against a <see cref="GatewayHarness"/>: registers node and
/// operator sockets through <see cref="GatewayContext.Connections"/>, calls node-role methods as a
/// node socket, waits for the <c>node.invoke.request</c> events sent to a socket and answers them.
/// </summary>
internal static class NodeHarness
{
    public const string NodeConnection = "node-conn-1";
    public const string NodeId = "device-node-1";

    public static readonly string[] HostCommands =
        ["system.run.prepare", "system.run", "system.which", "system.execApprovals.get", "system.execApprovals.set", "fs.listDir", "terminal.upload", "browser.proxy"];

    public static Task OpenNodeAsync(this GatewayHarness harness, string connectionId = NodeConnection, string? deviceId = NodeId, IReadOnlyList<string>? commands = null, string? displayName = "build-node", string? instanceId = null) =>
        harness.Activation.RunAsync(() => harness.Context.Connections.Open(new GatewayConnectionInfo
        {
            ConnectionId = connectionId,
            SubscriberId = "edge-1",
            Role = GatewayRoles.Node,
            ClientId = "node-host",
            ClientMode = "node",
            DisplayName = displayName,
            Platform = "linux",
            Version = "2026.9.6",
            DeviceFamily = "Linux",
            DeviceId = deviceId,
            InstanceId = instanceId,
            RemoteIp = "203.0.113.7",
            ConnectedAtMs = harness.Context.NowMs(),
            Caps = ["system"],
            Commands = commands ?? HostCommands,
            PathEnv = "/usr/local/bin:/usr/bin:/bin",
        }));

    public static Task OpenOperatorAsync(this GatewayHarness harness, string connectionId, IReadOnlyList<string> scopes, IReadOnlyList<string>? caps = null, string displayName = "approver") =>
        harness.Activation.RunAsync(() => harness.Context.Connections.Open(new GatewayConnectionInfo
        {
            ConnectionId = connectionId,
            SubscriberId = "edge-1",
            Role = GatewayRoles.Operator,
            Scopes = scopes,
            Caps = caps ?? [],
            ClientId = "gateway-client",
            DisplayName = displayName,
            ConnectedAtMs = harness.Context.NowMs(),
        }));

    public static Task CloseAsync(this GatewayHarness harness, string connectionId) =>
        harness.Activation.RunAsync(() => harness.Context.Connections.Close(connectionId));

    /// <summary>Calls a method as a <c>role:"node"</c> socket.</summary>
    public static Task<GatewayReply> CallAsNodeAsync(this GatewayHarness harness, string method, object parameters, string connectionId = NodeConnection)
    {
        var call = new GatewayCall
        {
            Method = method,
            ParamsJson = parameters as string ?? JsonSerializer.Serialize(parameters),
            ConnectionId = connectionId,
            Role = GatewayRoles.Node,
            ClientId = "node-host",
            ClientMode = "node",
        };
        return harness.Activation.RunAsync(() => harness.Dispatcher.InvokeAsync(call));
    }

    /// <summary>Waits for the <paramref name="index"/>-th (0-based) <c>node.invoke.request</c> of <paramref name="command"/> sent to a socket.</summary>
    public static async Task<InvokeRequest> WaitForInvokeAsync(this GatewayHarness harness, string command, string connectionId = NodeConnection, int index = 0)
    {
        bool Matches(RecordedEvent e) => e.Name == "node.invoke.request" && e.Payload.GetProperty("command").GetString() == command
            && e.Source?.Audience is [var only] && only == connectionId;
        await harness.Events.WaitForAsync(_ => harness.Events.Events.Count(Matches) > index, $"node.invoke.request #{index} {command} to {connectionId}");
        var recorded = harness.Events.Events.Where(Matches).ElementAt(index);
        var paramsJson = recorded.Payload.GetProperty("paramsJSON");
        return new InvokeRequest(
            recorded.Payload.GetProperty("id").GetString()!,
            recorded.Payload.GetProperty("nodeId").GetString()!,
            command,
            paramsJson.ValueKind == JsonValueKind.String ? JsonDocument.Parse(paramsJson.GetString()!).RootElement.Clone() : default,
            recorded);
    }

    /// <summary>Answers an invoke as the node: <c>node.invoke.result</c> with <paramref name="payload"/> as payloadJSON.</summary>
    public static Task<GatewayReply> AnswerAsync(this GatewayHarness harness, InvokeRequest request, object payload, string connectionId = NodeConnection) =>
        harness.CallAsNodeAsync("node.invoke.result", new { id = request.Id, nodeId = request.NodeId, ok = true, payloadJSON = JsonSerializer.Serialize(payload) }, connectionId);

    /// <summary>The reference node host's answer to <c>system.run.prepare</c>.</summary>
    public static object PreparedPlan(string command) => new
    {
        plan = new
        {
            argv = new[] { "/bin/sh", "-lc", command },
            cwd = "/home/node",
            commandText = $"/bin/sh -lc \"{command}\"",
            commandPreview = command,
            agentId = "main",
            sessionKey = GatewayHarness.HarnessSession,
        },
        execPolicy = new { security = "full", ask = "off" },
    };

    public static object RunOutput(string stdout, int exitCode = 0) =>
        new { exitCode, timedOut = false, success = exitCode == 0, stdout, stderr = "", error = (string?)null };

    /// <summary>Starts the exec tool as a run's tool call would (on the activation); returns the pending call.</summary>
    public static Task<ToolResult> StartExecAsync(this GatewayHarness harness, object arguments, CancellationToken cancellationToken = default, List<string>? updates = null)
    {
        var run = new ChatRun("run-exec-1", "chat.send", SessionKey.TryParse(GatewayHarness.HarnessSession, out _)!.Value, "run it", RunKind.Chat, harness.Context.NowMs(), TimeSpan.FromMinutes(10), harness.Time);
        var tool = harness.Context.Tools.Single(tool => tool.Name == "exec");
        var context = new ToolRunContext
        {
            Gateway = harness.Context,
            Run = run,
            ToolCallId = "call_exec_1",
            ReportUpdate = updates is null ? null : text => { lock (updates) updates.Add(text); },
        };
        var call = new AgentToolCall("call_exec_1", "exec", JsonSerializer.SerializeToElement(arguments));
        return harness.Activation.RunAsync(() => tool.ExecuteAsync(call, context, cancellationToken));
    }
}

internal sealed record InvokeRequest(string Id, string NodeId, string Command, JsonElement Params, RecordedEvent Event);
