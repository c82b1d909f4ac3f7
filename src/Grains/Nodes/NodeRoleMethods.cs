using System.Text.Json;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Grains.Nodes;

namespace OpenClaw.Grains.Gateway;

/// <summary>
/// What a tenant's node calls (<see cref="GatewayMethodCatalog.RoleNode"/>): the terminal
/// <c>node.invoke.result</c>, streamed <c>node.invoke.progress</c>, <c>node.event</c>, and the
/// reports a node sends after connecting (stored bounded for <c>node.describe</c>, else ignored).
/// Everything here is node-controlled input: sizes are capped and a result is accepted only from
/// the socket its request went to.
/// </summary>
internal sealed class NodeRoleMethods(GatewayContext context) : IGatewayMethodGroup
{
    internal const int MaxIdChars = 256;
    internal const int MaxChunkChars = 16384;
    internal const int MaxErrorChars = 4096;
    private static readonly JsonDocumentOptions PayloadParseOptions = new() { MaxDepth = 64 };

    public void Register(GatewayMethodTable table)
    {
        table.Add("node.invoke.result", Result);
        table.Add("node.invoke.progress", Progress);
        table.Add("node.event", Event);
        table.Add("node.pluginTools.update", request => Report(request, NodeDocuments.PluginTools, "tools"));
        table.Add("node.skills.update", request => Report(request, NodeDocuments.Skills, "skills"));
        table.Add("node.runnerInventory.update", request => Report(request, NodeDocuments.RunnerInventory, null));
        table.Add("skills.bins", SkillBins);
        table.Add("node.pending.pull", request => Acknowledge(request, writer => writer.WriteEmptyArray("items")));
        table.Add("node.pending.ack", request => Acknowledge(request, writer => writer.WriteBoolean("ok", true)));
        table.Add("node.pluginSurface.refresh", request => Acknowledge(request, writer => writer.WriteBoolean("ok", true)));
    }

    private NodeOptions Options => context.Nodes.Options;

    private Task<GatewayReply> Result(GatewayRequest request)
    {
        var parameters = request.Params;
        var id = parameters.RequiredString("id", MaxIdChars, allowEmpty: false);
        var nodeId = parameters.RequiredString("nodeId", MaxIdChars, allowEmpty: false);
        var ok = parameters.OptionalBoolean("ok") ?? throw new GatewayParamsException("must have required property 'ok'");
        var invoker = context.Nodes.Invoker;

        string? payload;
        try
        {
            payload = Payload(parameters);
        }
        catch (PayloadException exception)
        {
            // The waiter learns why at once instead of timing out; the node gets the same reason.
            NodeLog.PayloadRefused(context.Logger, context.TenantId, request.ConnectionId, exception.Message);
            invoker.Complete(request.ConnectionId, id, nodeId, NodeInvokeResult.Failure(exception.Code, exception.Message));
            return Task.FromResult(GatewayReply.Failure(GatewayError.InvalidRequest(exception.Message)));
        }

        NodeInvokeResult result;
        if (ok)
        {
            result = new NodeInvokeResult(true, payload, null, null);
        }
        else
        {
            var error = parameters.OptionalElement("error");
            result = NodeInvokeResult.Failure(
                Truncate(StringProperty(error, "code")) ?? "NODE_ERROR",
                Truncate(StringProperty(error, "message")) ?? "the node reported an error");
        }

        if (!invoker.Complete(request.ConnectionId, id, nodeId, result))
        {
            return Task.FromResult(GatewayReply.Failure(GatewayError.InvalidRequest(
                $"no pending invoke \"{id}\" for this node (unknown, already finished, or sent to another node); result ignored")));
        }

        return Task.FromResult(GatewayReply.Success("""{"ok":true}"""));
    }

    private Task<GatewayReply> Progress(GatewayRequest request)
    {
        var parameters = request.Params;
        var invokeId = parameters.RequiredString("invokeId", MaxIdChars, allowEmpty: false);
        var nodeId = parameters.RequiredString("nodeId", MaxIdChars, allowEmpty: false);
        var seq = parameters.OptionalInteger("seq", 0) ?? throw new GatewayParamsException("must have required property 'seq'");
        var chunk = parameters.RequiredString("chunk", MaxChunkChars);
        var refusal = context.Nodes.Invoker.Progress(request.ConnectionId, invokeId, nodeId, seq, chunk);
        return Task.FromResult(refusal is null
            ? GatewayReply.Success("""{"ok":true}""")
            : GatewayReply.Failure(GatewayError.InvalidRequest(refusal)));
    }

    private Task<GatewayReply> Event(GatewayRequest request)
    {
        var parameters = request.Params;
        var name = parameters.RequiredString("event", 128, allowEmpty: false);
        string? payload;
        try
        {
            payload = Payload(parameters);
        }
        catch (PayloadException exception)
        {
            return Task.FromResult(GatewayReply.Failure(GatewayError.InvalidRequest(exception.Message)));
        }

        var (handled, reason) = HandleEvent(request.ConnectionId, name, payload);
        return Task.FromResult(GatewayReply.Success(JsonPayload.Object(writer =>
        {
            writer.WriteBoolean("ok", true);
            writer.WriteString("event", name);
            writer.WriteBoolean("handled", handled);
            if (reason is not null) writer.WriteString("reason", reason);
        })));
    }

    private (bool Handled, string? Reason) HandleEvent(string connectionId, string name, string? payload)
    {
        switch (name)
        {
            case "exec.started" or "exec.finished" or "exec.denied":
                string? runId = null, sessionKey = null;
                if (payload is not null)
                {
                    using var document = JsonDocument.Parse(payload, PayloadParseOptions);
                    runId = StringProperty(document.RootElement, "runId");
                    sessionKey = StringProperty(document.RootElement, "sessionKey");
                }

                return context.Nodes.Execs.Match(connectionId, runId, sessionKey, name) ? (true, null) : (false, "unmatched_exec_event");
            case "node.host.stats" when payload is not null && context.Nodes.Registry.ForConnection(connectionId) is { } node:
                return context.Nodes.Registry.Store(node.NodeId, NodeDocuments.HostStats, payload) ? (true, null) : (false, "payload_too_large");
            default:
                return (false, "unsupported_event");
        }
    }

    /// <summary>Stores a report (the <paramref name="field"/> array, or the whole params) and echoes it as the reference does.</summary>
    private Task<GatewayReply> Report(GatewayRequest request, string kind, string? field)
    {
        if (!TryGetNode(request, out var node, out var refusal))
        {
            return Task.FromResult(refusal);
        }

        string json;
        if (field is null)
        {
            json = string.IsNullOrWhiteSpace(request.Call.ParamsJson) ? "{}" : request.Call.ParamsJson;
        }
        else
        {
            var length = request.Params.OptionalArrayLength(field) ?? throw new GatewayParamsException($"must have required property '{field}'");
            json = length == 0 ? "[]" : request.Params.OptionalElement(field)!.Value.GetRawText();
        }

        if (!context.Nodes.Registry.Store(node.NodeId, kind, json))
        {
            return Task.FromResult(GatewayReply.Failure(GatewayError.InvalidRequest(
                $"{request.Method} params must NOT be larger than {Options.MaxNodeMetadataBytes} characters")));
        }

        return Task.FromResult(GatewayReply.Success(JsonPayload.Object(writer =>
        {
            writer.WriteString("nodeId", node.NodeId);
            if (field is not null) writer.WriteRawProperty(field, json);
        })));
    }

    private Task<GatewayReply> SkillBins(GatewayRequest request)
    {
        if (!TryGetNode(request, out _, out var refusal))
        {
            return Task.FromResult(refusal);
        }

        // This gateway has no skills that need binaries on the node.
        return Task.FromResult(GatewayReply.Success("""{"bins":[]}"""));
    }

    private Task<GatewayReply> Acknowledge(GatewayRequest request, Action<Utf8JsonWriter> write)
    {
        if (!TryGetNode(request, out var node, out var refusal))
        {
            return Task.FromResult(refusal);
        }

        if ((request.Call.ParamsJson?.Length ?? 0) > Options.MaxNodeMetadataBytes)
        {
            return Task.FromResult(GatewayReply.Failure(GatewayError.InvalidRequest(
                $"{request.Method} params must NOT be larger than {Options.MaxNodeMetadataBytes} characters")));
        }

        return Task.FromResult(GatewayReply.Success(JsonPayload.Object(writer =>
        {
            writer.WriteString("nodeId", node.NodeId);
            write(writer);
        })));
    }

    private bool TryGetNode(GatewayRequest request, out NodeView node, out GatewayReply refusal)
    {
        node = context.Nodes.Registry.ForConnection(request.ConnectionId)!;
        refusal = node is null
            ? GatewayReplies.Unavailable("this node connection is not registered with the tenant yet; retry shortly", retryable: true, retryAfterMs: 500)
            : null!;
        return node is not null;
    }

    /// <summary><c>payload</c> (any JSON) or <c>payloadJSON</c> (JSON text) as JSON text; null when neither was sent.</summary>
    private string? Payload(GatewayParams parameters)
    {
        var max = Options.MaxResultBytes;
        if (parameters.OptionalElement("payload") is { } element)
        {
            var text = element.GetRawText();
            return text.Length <= max ? text : throw PayloadException.TooLarge(max);
        }

        var json = parameters.OptionalString("payloadJSON");
        if (json is null)
        {
            return null;
        }

        if (json.Length > max)
        {
            throw PayloadException.TooLarge(max);
        }

        try
        {
            using var document = JsonDocument.Parse(json, PayloadParseOptions);
            return json;
        }
        catch (JsonException)
        {
            throw new PayloadException("INVALID_PAYLOAD", "'payloadJSON' is not valid JSON");
        }
    }

    private static string? StringProperty(JsonElement? element, string name) =>
        element is { ValueKind: JsonValueKind.Object } value && value.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.String
            ? property.GetString()
            : null;

    private static string? Truncate(string? text) => text is { Length: > MaxErrorChars } ? text[..MaxErrorChars] : text;

    private sealed class PayloadException(string code, string message) : Exception(message)
    {
        public string Code { get; } = code;

        public static PayloadException TooLarge(int max) =>
            new(NodeInvokeResult.TooLarge, $"the node's payload is larger than {max} characters of JSON; refused");
    }
}
