using System.Diagnostics;
using System.Text;
using System.Text.Json;
using OpenClaw.Grains.Gateway;
using OpenClaw.Grains.Nodes;

namespace OpenClaw.Grains.Agent;

/// <summary>
/// <c>exec</c>: runs a shell command on the tenant's own node, never in the gateway. The node is
/// the one named (call or <c>tools.exec.node</c>) or the sole connected node that declares
/// <c>system.run</c>. Sequence as the reference gateway does it: <c>system.run.prepare</c> → (when
/// <c>tools.exec.ask</c> asks) <c>system.execApprovals.get</c> and an exec approval →
/// <c>system.run</c>. Output streams through <see cref="ToolRunContext.ReportUpdate"/>; an abort
/// cancels the invoke on the node. The approval wait is bounded by <see cref="NodeOptions.ApprovalTimeout"/>
/// (below the run timeout), the command by the tool's own timeout.
/// </summary>
internal sealed class ExecTool : IAgentTool
{
    public const string NoNodeCode = "NODE_NOT_CONNECTED";
    public const string AmbiguousNodeCode = "NODE_AMBIGUOUS";
    public const string HostRefusedCode = "EXEC_HOST_NOT_ALLOWED";
    public const string DeniedCode = "EXEC_DENIED";
    public const string NoApproverCode = "APPROVAL_UNAVAILABLE";
    public const string ExpiredCode = "APPROVAL_EXPIRED";
    private const string RunCommand = "system.run";
    private const string PrepareCommand = "system.run.prepare";
    private const string ApprovalsCommand = "system.execApprovals.get";
    private static readonly TimeSpan RunGrace = TimeSpan.FromSeconds(5);

    /// <summary>Output kept in <c>details.aggregated</c> (the text carries the rest, capped by the loop), so details stay small.</summary>
    internal const int MaxAggregatedChars = 16_000;

    public string Name => ExecToolSchema.Name;

    public string Description => ExecToolSchema.Description;

    public string ParametersJson => ExecToolSchema.ParametersJson;

    public async Task<ToolResult> ExecuteAsync(AgentToolCall call, ToolRunContext context, CancellationToken cancellationToken)
    {
        var arguments = ExecToolArguments.Parse(call.Arguments);
        if (arguments.Host is "gateway" or "sandbox")
        {
            throw new AgentToolException(
                $"exec host={arguments.Host} is not available on this multi-tenant gateway: commands run only on the tenant's own node (use host=node or omit host)", HostRefusedCode);
        }

        var gateway = context.Gateway;
        var hub = gateway.Nodes;
        var config = gateway.Config;
        var node = SelectNode(hub.Registry, arguments.Node ?? config.ExecNode);
        var sessionKey = context.SessionKey.Value;
        var argv = Argv(node, arguments.Command);

        var ask = Stricter(config.ExecAsk, arguments.Ask);
        var plan = await PrepareAsync(hub, node, argv, arguments, ask, gateway.AgentId, sessionKey, cancellationToken);
        var commandText = StringProperty(plan, "commandText") ?? arguments.Command;
        var cwd = StringProperty(plan, "cwd") ?? arguments.Workdir;

        string? decision = null;
        string runId = Guid.NewGuid().ToString();
        var needsApproval = ask == ExecToolsConfig.AskAlways || (ask == ExecToolsConfig.AskOnMiss && !hub.Approvals.IsAllowlisted(commandText));
        if (needsApproval)
        {
            var approval = await RequestApprovalAsync(hub, node, context, argv, plan, commandText, cwd, ask, sessionKey, cancellationToken);
            context.ReportUpdate?.Invoke($"Waiting for exec approval {approval.Id} ({commandText})");
            decision = await hub.Approvals.WaitAsync(approval, cancellationToken);
            if (decision is null)
            {
                throw new AgentToolException($"exec approval {approval.Id} expired without an answer; the command was not run", ExpiredCode);
            }

            if (decision == ExecApproval.Deny)
            {
                throw new AgentToolException($"exec denied: an approver denied \"{Preview(commandText)}\"", DeniedCode);
            }

            runId = approval.Id;
        }

        var timeout = RunTimeout(hub.Options, arguments.TimeoutSeconds);
        var runParams = JsonPayload.Object(writer =>
        {
            writer.WriteStringArray("command", argv);
            writer.WriteString("rawCommand", arguments.Command);
            if (plan is not null) writer.WriteRawProperty("systemRunPlan", plan.Value.GetRawText());
            if (cwd is not null) writer.WriteString("cwd", cwd);
            WriteEnv(writer, arguments.Env);
            writer.WriteNumber("timeoutMs", (long)timeout.TotalMilliseconds);
            writer.WriteString("agentId", gateway.AgentId);
            writer.WriteString("sessionKey", sessionKey);
            writer.WriteString("runId", runId);
            // As the reference: approved + approvalDecision after an approval; a command allowed
            // always before counts as approved with that decision.
            var effectiveDecision = decision ?? (ask != ExecToolsConfig.AskOff ? ExecApproval.AllowAlways : null);
            writer.WriteBoolean("approved", effectiveDecision is not null);
            if (effectiveDecision is not null) writer.WriteString("approvalDecision", effectiveDecision);
        });

        var output = new StringBuilder();
        void OnProgress(string chunk)
        {
            output.Append(chunk);
            context.ReportUpdate?.Invoke(output.ToString());
        }

        hub.Execs.Add(runId, sessionKey, node.Connection.ConnectionId);
        var started = gateway.Time.GetTimestamp();
        NodeInvokeResult result;
        try
        {
            result = await InvokeAsync(hub, node, RunCommand, runParams, timeout + RunGrace, sessionKey, OnProgress, cancellationToken);
        }
        finally
        {
            hub.Execs.Remove(runId);
        }

        var durationMs = (long)gateway.Time.GetElapsedTime(started).TotalMilliseconds;
        return result.Ok ? Completed(node, result, durationMs, arguments) : Failed(node, RunCommand, result);
    }

    private static NodeView SelectNode(TenantNodes registry, string? wanted)
    {
        var nodes = registry.Connected();
        if (wanted is not null)
        {
            var matches = nodes.Where(node => node.NodeId == wanted).ToList();
            if (matches.Count == 0)
            {
                matches = nodes.Where(node => registry.DisplayName(node) == wanted).ToList();
            }

            return matches.Count switch
            {
                1 when matches[0].Declares(RunCommand) => matches[0],
                1 => throw new AgentToolException($"node {matches[0].NodeId} does not offer system.run; exec needs a node host that declares it", NoNodeCode),
                0 => throw new AgentToolException($"exec needs a connected node: node \"{wanted}\" is not connected to this tenant", NoNodeCode),
                _ => throw new AgentToolException($"node name \"{wanted}\" is ambiguous; use one of these node ids: {string.Join(", ", matches.Select(node => node.NodeId))}", AmbiguousNodeCode),
            };
        }

        var runners = nodes.Where(node => node.Declares(RunCommand)).ToList();
        return runners.Count switch
        {
            1 => runners[0],
            0 => throw new AgentToolException(
                "exec needs a connected node that runs commands (a node host declaring system.run), and none is connected to this tenant; commands never run on the gateway. Connect one with `openclaw node run`.", NoNodeCode),
            _ => throw new AgentToolException(
                $"several nodes can run exec; choose one with node=<id> or tools.exec.node: {string.Join(", ", runners.Select(node => node.NodeId))}", AmbiguousNodeCode),
        };
    }

    private static async Task<JsonElement?> PrepareAsync(NodeHub hub, NodeView node, IReadOnlyList<string> argv, ExecToolArguments arguments, string ask, string agentId, string sessionKey, CancellationToken cancellationToken)
    {
        if (!node.Declares(PrepareCommand))
        {
            return null;
        }

        var prepareParams = JsonPayload.Object(writer =>
        {
            writer.WriteStringArray("command", argv);
            writer.WriteString("security", "full");
            writer.WriteString("ask", ask);
            writer.WriteString("rawCommand", arguments.Command);
            if (arguments.Workdir is not null) writer.WriteString("cwd", arguments.Workdir);
            WriteEnv(writer, arguments.Env);
            writer.WriteString("agentId", agentId);
            writer.WriteString("sessionKey", sessionKey);
        });
        var result = await InvokeAsync(hub, node, PrepareCommand, prepareParams, hub.Options.PrepareTimeout, sessionKey, null, cancellationToken);
        if (!result.Ok)
        {
            throw new AgentToolException(NodeFailureText(node, PrepareCommand, result), result.ErrorCode);
        }

        if (result.PayloadJson is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(result.PayloadJson);
        return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("plan", out var plan) && plan.ValueKind == JsonValueKind.Object
            ? plan.Clone()
            : null;
    }

    private static async Task<ExecApproval> RequestApprovalAsync(
        NodeHub hub, NodeView node, ToolRunContext context, IReadOnlyList<string> argv, JsonElement? plan, string commandText, string? cwd, string ask, string sessionKey, CancellationToken cancellationToken)
    {
        if (!hub.Approvals.ApproverConnected)
        {
            throw new AgentToolException(
                $"exec needs approval (tools.exec.ask={ask}) but no approver is connected (a client with operator.approvals and the exec-approvals cap); askFallback=deny, the command was not run", NoApproverCode);
        }

        if (node.Declares(ApprovalsCommand))
        {
            // The reference reads the node's own approvals before asking; its answer does not change ours.
            await InvokeAsync(hub, node, ApprovalsCommand, "{}", hub.Options.PrepareTimeout, null, null, cancellationToken);
        }

        IReadOnlyList<string> allowed = ask == ExecToolsConfig.AskAlways
            ? [ExecApproval.AllowOnce, ExecApproval.Deny]
            : ExecApproval.AllDecisions;
        try
        {
            return hub.Approvals.Create(writer =>
            {
                writer.WriteString("command", commandText);
                writer.WriteStringArray("commandArgv", argv);
                if (plan is not null) writer.WriteRawProperty("systemRunPlan", plan.Value.GetRawText());
                writer.WriteStringOrNull("cwd", cwd);
                writer.WriteString("nodeId", node.NodeId);
                writer.WriteString("host", "node");
                writer.WriteString("security", "full");
                writer.WriteString("ask", ask);
                writer.WriteString("agentId", context.Gateway.AgentId);
                writer.WriteString("sessionKey", sessionKey);
                writer.WriteString("runId", context.Run.RunId);
                writer.WriteString("toolCallId", context.ToolCallId);
            }, commandText, allowed);
        }
        catch (InvalidOperationException exception)
        {
            throw new AgentToolException($"exec approval could not be requested: {exception.Message}", NoApproverCode);
        }
    }

    private static async Task<NodeInvokeResult> InvokeAsync(
        NodeHub hub, NodeView node, string command, string paramsJson, TimeSpan timeout, string? sessionKey, Action<string>? onProgress, CancellationToken cancellationToken)
    {
        try
        {
            return await hub.Invoker.InvokeAsync(node, command, paramsJson, timeout, Guid.NewGuid().ToString(), sessionKey, onProgress, cancellationToken);
        }
        catch (NodeInvokeException exception)
        {
            throw new AgentToolException(exception.Message, exception.Code);
        }
    }

    private static ToolResult Completed(NodeView node, NodeInvokeResult result, long durationMs, ExecToolArguments arguments)
    {
        using var document = JsonDocument.Parse(result.PayloadJson ?? "{}");
        var payload = document.RootElement;
        var stdout = StringProperty(payload, "stdout") ?? "";
        var stderr = StringProperty(payload, "stderr") ?? "";
        var error = StringProperty(payload, "error");
        long? exitCode = payload.ValueKind == JsonValueKind.Object && payload.TryGetProperty("exitCode", out var code) && code.TryGetInt64(out var number) ? number : null;
        var timedOut = BoolProperty(payload, "timedOut") ?? false;
        var success = BoolProperty(payload, "success") ?? (exitCode == 0 && !timedOut);

        var aggregated = stderr.Length == 0 ? stdout
            : stdout.Length == 0 ? stderr
            : stdout.EndsWith('\n') ? stdout + stderr : stdout + "\n" + stderr;
        var text = new StringBuilder($"Node: {node.NodeId}\n\n");
        text.Append(aggregated.Length == 0 ? "(no output)" : aggregated);
        if (timedOut) text.Append("\n\nCommand timed out.");
        else if (exitCode is { } exit && exit != 0) text.Append($"\n\n(Command exited with code {exit})");
        if (!string.IsNullOrEmpty(error)) text.Append($"\n\nError: {error}");

        var details = JsonPayload.Object(writer =>
        {
            writer.WriteString("status", success ? "completed" : "failed");
            writer.WriteNumberOrNull("exitCode", exitCode);
            writer.WriteNumber("durationMs", durationMs);
            writer.WriteString("aggregated", aggregated.Length <= MaxAggregatedChars ? aggregated : aggregated[..MaxAggregatedChars] + "…(truncated)");
            writer.WriteString("nodeId", node.NodeId);
            if (timedOut) writer.WriteBoolean("timedOut", true);
        });
        var meta = arguments.Title ?? Preview(arguments.Command);
        return new ToolResult { Text = text.ToString(), DetailsJson = details, IsError = !success, Meta = meta };
    }

    private static ToolResult Failed(NodeView node, string command, NodeInvokeResult result)
    {
        var message = NodeFailureText(node, command, result);
        return ToolResult.Error(message, JsonPayload.Object(writer =>
        {
            writer.WriteString("status", "error");
            writer.WriteString("error", message);
            writer.WriteString("nodeId", node.NodeId);
            if (result.ErrorCode is not null) writer.WriteString("gatewayCode", result.ErrorCode);
            writer.WriteStartObject("nodeError");
            writer.WriteStringOrNull("code", result.ErrorCode);
            writer.WriteStringOrNull("message", result.ErrorMessage);
            writer.WriteEndObject();
        }));
    }

    private static string NodeFailureText(NodeView node, string command, NodeInvokeResult result) =>
        result.ErrorCode switch
        {
            NodeInvokeResult.Disconnected => $"exec failed: node {node.NodeId} disconnected during {command}",
            NodeInvokeResult.Timeout => $"exec failed: {result.ErrorMessage}",
            _ => $"exec failed on node {node.NodeId} ({command}): {result.ErrorCode}: {result.ErrorMessage}",
        };

    /// <summary>The shell argv for the node's platform.</summary>
    private static string[] Argv(NodeView node, string command) =>
        node.Connection.Platform?.StartsWith("win", StringComparison.OrdinalIgnoreCase) == true
            ? ["cmd.exe", "/d", "/s", "/c", command]
            : ["/bin/sh", "-lc", command];

    private static TimeSpan RunTimeout(NodeOptions options, double? seconds) =>
        seconds switch
        {
            null => options.ExecTimeout,
            0 => options.MaxInvokeTimeout,
            { } value => TimeSpan.FromSeconds(Math.Min(value, options.MaxInvokeTimeout.TotalSeconds)),
        };

    /// <summary>The stricter of the tenant's ask and the call's (a call can only ask for more).</summary>
    private static string Stricter(string configured, string? requested)
    {
        static int Rank(string? ask) => ask switch { ExecToolsConfig.AskAlways => 2, ExecToolsConfig.AskOnMiss => 1, _ => 0 };
        return Rank(requested) > Rank(configured) ? requested! : configured;
    }

    private static void WriteEnv(Utf8JsonWriter writer, IReadOnlyDictionary<string, string>? env)
    {
        if (env is null) return;
        writer.WriteStartObject("env");
        foreach (var (name, value) in env)
        {
            writer.WriteString(name, value);
        }

        writer.WriteEndObject();
    }

    private static string? StringProperty(JsonElement? element, string name) =>
        element is { ValueKind: JsonValueKind.Object } value && value.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.String
            ? property.GetString()
            : null;

    private static bool? BoolProperty(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var property) && property.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? property.GetBoolean()
            : null;

    private static string Preview(string command) => command.Length <= 80 ? command : command[..80] + "…";
}
