using System.Text.Json;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Grains.Nodes;

namespace OpenClaw.Grains.Gateway;

/// <summary>
/// The operator side of the tenant's nodes: <c>node.list</c>, <c>node.describe</c>,
/// <c>node.rename</c>, <c>node.pair.*</c> and <c>node.invoke</c>. Only the tenant's own
/// connected nodes exist here; a node id of another tenant is simply unknown. Nodes are approved
/// within their tenant on connect, so the pairing methods have nothing pending to act on.
/// <c>node.invoke</c> never runs <c>system.run</c>/<c>system.run.prepare</c> (only the exec tool
/// does), and the admin-only commands need <c>operator.admin</c>.
/// </summary>
internal sealed class NodeMethods(GatewayContext context) : IGatewayMethodGroup
{
    internal const int MaxNodeIdChars = 256;
    internal const int MaxCommandChars = 200;

    /// <summary>Commands only the exec tool sends (AGENT.md §5: <c>nodes invoke</c> refuses them).</summary>
    public static readonly IReadOnlySet<string> ExecOnlyCommands = new HashSet<string>(StringComparer.Ordinal) { "system.run", "system.run.prepare" };

    public void Register(GatewayMethodTable table)
    {
        table.Add("node.list", List);
        table.Add("node.describe", Describe);
        table.Add("node.rename", Rename);
        table.Add("node.pair.list", PairList);
        table.Add("node.pair.approve", PairApprove);
        table.Add("node.pair.reject", PairApprove);
        table.Add("node.pair.remove", PairRemove);
        table.Add("node.invoke", Invoke);
    }

    /// <summary>Commands that need <c>operator.admin</c> through <c>node.invoke</c>.</summary>
    public static bool IsAdminOnly(string command) =>
        command is "fs.listDir" or "terminal.upload" || command.StartsWith("browser.proxy", StringComparison.Ordinal);

    private TenantNodes Registry => context.Nodes.Registry;

    private Task<GatewayReply> List(GatewayRequest request)
    {
        var nodes = Registry.Connected();
        return Ok(writer =>
        {
            writer.WriteNumber("ts", context.NowMs());
            writer.WriteStartArray("nodes");
            foreach (var node in nodes)
            {
                Registry.Write(writer, node);
            }

            writer.WriteEndArray();
        });
    }

    private Task<GatewayReply> Describe(GatewayRequest request)
    {
        var node = RequireNode(request.Params.RequiredString("nodeId", MaxNodeIdChars, allowEmpty: false));
        var json = JsonPayload.Write(writer => Registry.Write(writer, node));
        // The node entry plus ts and what the node reported after connecting.
        return Ok(writer =>
        {
            writer.WriteNumber("ts", context.NowMs());
            using var entry = JsonDocument.Parse(json);
            foreach (var property in entry.RootElement.EnumerateObject())
            {
                property.WriteTo(writer);
            }

            Registry.WriteReported(writer, node);
        });
    }

    private Task<GatewayReply> Rename(GatewayRequest request)
    {
        var node = RequireNode(request.Params.RequiredString("nodeId", MaxNodeIdChars, allowEmpty: false));
        var displayName = request.Params.RequiredString("displayName", TenantNodes.MaxDisplayNameChars, allowEmpty: false).Trim();
        Registry.Rename(node.NodeId, displayName);
        return Ok(writer =>
        {
            writer.WriteString("nodeId", node.NodeId);
            writer.WriteString("displayName", displayName);
        });
    }

    private Task<GatewayReply> PairList(GatewayRequest request)
    {
        var nodes = Registry.Connected();
        return Ok(writer =>
        {
            writer.WriteEmptyArray("pending");
            writer.WriteStartArray("paired");
            foreach (var node in nodes)
            {
                var connection = node.Connection;
                writer.WriteStartObject();
                writer.WriteString("nodeId", node.NodeId);
                writer.WriteStringOrNull("clientId", connection.ClientId);
                writer.WriteStringOrNull("clientMode", connection.ClientMode);
                writer.WriteString("displayName", Registry.DisplayName(node));
                writer.WriteStringOrNull("platform", connection.Platform);
                writer.WriteStringOrNull("version", connection.Version);
                writer.WriteStringOrNull("deviceFamily", connection.DeviceFamily);
                writer.WriteStringArray("caps", connection.Caps);
                writer.WriteStringArray("commands", connection.Commands);
                writer.WriteNumber("createdAtMs", connection.ConnectedAtMs);
                writer.WriteNumber("approvedAtMs", connection.ConnectedAtMs);
                writer.WriteNumber("lastSeenAtMs", connection.ConnectedAtMs);
                writer.WriteString("lastSeenReason", "connect");
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        });
    }

    /// <summary>approve/reject: a tenant's nodes are approved on connect, so no request is ever pending.</summary>
    private Task<GatewayReply> PairApprove(GatewayRequest request)
    {
        var requestId = request.Params.RequiredString("requestId", MaxNodeIdChars, allowEmpty: false);
        return Task.FromResult(GatewayReply.Failure(GatewayError.InvalidRequest(
            $"unknown requestId: {requestId} (this gateway approves a tenant's nodes when they connect; nothing is pending)")));
    }

    private Task<GatewayReply> PairRemove(GatewayRequest request)
    {
        var nodeId = request.Params.RequiredString("nodeId", MaxNodeIdChars, allowEmpty: false);
        RequireNode(nodeId);
        return Task.FromResult(GatewayReply.Failure(GatewayError.InvalidRequest(
            $"node {nodeId} is paired because it is connected with this tenant's token; disconnect it (or revoke the token) to remove it")));
    }

    private async Task<GatewayReply> Invoke(GatewayRequest request)
    {
        var parameters = request.Params;
        var nodeId = parameters.RequiredString("nodeId", MaxNodeIdChars, allowEmpty: false);
        var command = parameters.RequiredString("command", MaxCommandChars, allowEmpty: false);
        var idempotencyKey = parameters.RequiredString("idempotencyKey", 256, allowEmpty: false);
        var timeoutMs = parameters.OptionalInteger("timeoutMs", 0, int.MaxValue);
        var sessionKey = parameters.OptionalString("sessionKey", SessionKey.MaxLength);
        var invokeParams = parameters.OptionalElement("params")?.GetRawText();
        if (invokeParams is not null && invokeParams.Length > context.Nodes.Options.MaxResultBytes)
        {
            throw new GatewayParamsException($"'params' must NOT be larger than {context.Nodes.Options.MaxResultBytes} characters of JSON");
        }

        if (ExecOnlyCommands.Contains(command))
        {
            return GatewayReply.Failure(GatewayError.InvalidRequest(
                $"node.invoke cannot run {command}; commands run on a node only through the agent's exec tool"));
        }

        if (IsAdminOnly(command) && !GatewayMethodCatalog.HasScope(request.Call.Scopes, GatewayMethodCatalog.ScopeAdmin))
        {
            return GatewayReplies.MissingScope(GatewayMethodCatalog.ScopeAdmin);
        }

        var node = RequireNode(nodeId);
        NodeInvokeResult result;
        try
        {
            result = await context.Nodes.Invoker.InvokeAsync(
                node, command, invokeParams, context.Nodes.Invoker.Timeout(timeoutMs), idempotencyKey, sessionKey, null, CancellationToken.None);
        }
        catch (NodeInvokeException exception)
        {
            return exception.Code == NodeInvokeException.TooManyPending
                ? GatewayReplies.Unavailable(exception.Message, retryable: true, retryAfterMs: 1000)
                : GatewayReply.Failure(GatewayError.InvalidRequest(exception.Message));
        }

        if (!result.Ok)
        {
            return GatewayReply.Failure(NodeError(node.NodeId, command, result));
        }

        return GatewayReply.Success(JsonPayload.Object(writer =>
        {
            writer.WriteBoolean("ok", true);
            writer.WriteString("nodeId", node.NodeId);
            writer.WriteString("command", command);
            writer.WriteRawProperty("payload", result.PayloadJson ?? "null");
        }));
    }

    /// <summary>The protocol error for a failed invoke, carrying the node's own code and message.</summary>
    public static GatewayError NodeError(string nodeId, string command, NodeInvokeResult result) =>
        GatewayError.Unavailable(
            $"{command} on node {nodeId} failed: {result.ErrorMessage ?? result.ErrorCode ?? "error"}",
            JsonPayload.Object(writer =>
            {
                writer.WriteString("nodeId", nodeId);
                writer.WriteString("command", command);
                writer.WriteStartObject("nodeError");
                writer.WriteStringOrNull("code", result.ErrorCode);
                writer.WriteStringOrNull("message", result.ErrorMessage);
                writer.WriteEndObject();
            }));

    private NodeView RequireNode(string nodeId) =>
        Registry.Find(nodeId) ?? throw new GatewayParamsException($"unknown node: {nodeId} (not connected to this tenant)");

    private static Task<GatewayReply> Ok(Action<Utf8JsonWriter> write) =>
        Task.FromResult(GatewayReply.Success(JsonPayload.Object(write)));
}
