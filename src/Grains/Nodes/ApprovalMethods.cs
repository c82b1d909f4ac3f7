using System.Text.Json;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Grains.Nodes;

namespace OpenClaw.Grains.Gateway;

/// <summary>
/// Exec approvals for the tenant's approvers (<c>operator.approvals</c>): <c>exec.approval.*</c>,
/// the kind-agnostic <c>approval.get|resolve|history</c>, and the policy documents
/// <c>exec.approvals[.node].get|set</c> (<c>operator.admin</c>). The first answer wins; the agent
/// has no way to answer (no tool resolves an approval).
/// </summary>
internal sealed class ApprovalMethods(GatewayContext context) : IGatewayMethodGroup
{
    internal const int MaxIdChars = 128;
    internal const int MaxCommandChars = 16_384;

    public void Register(GatewayMethodTable table)
    {
        table.Add("exec.approval.request", Request);
        table.Add("exec.approval.get", Get);
        table.Add("approval.get", Get);
        table.Add("exec.approval.list", List);
        table.Add("exec.approval.waitDecision", WaitDecision);
        table.Add("exec.approval.resolve", Resolve);
        table.Add("approval.resolve", Resolve);
        table.Add("approval.history", History);
        table.Add("exec.approvals.get", PolicyGet);
        table.Add("exec.approvals.set", PolicySet);
        table.Add("exec.approvals.node.get", NodePolicyGet);
        table.Add("exec.approvals.node.set", NodePolicySet);
    }

    private ExecApprovalStore Store => context.Nodes.Approvals;

    private NodeOptions Options => context.Nodes.Options;

    /// <summary>An approval asked for by a client (the exec tool creates its own): recorded and sent to the approvers; the answer comes with waitDecision.</summary>
    private Task<GatewayReply> Request(GatewayRequest request)
    {
        var p = request.Params;
        var id = p.OptionalString("id", MaxIdChars, allowEmpty: false);
        var host = p.OptionalString("host", 32) ?? "node";
        var command = p.OptionalString("command", MaxCommandChars);
        var plan = p.OptionalElement("systemRunPlan");
        var argvLength = p.OptionalArrayLength("commandArgv");
        if (host == "node" && plan is null)
        {
            throw new GatewayParamsException("systemRunPlan is required for host=node");
        }

        var planJson = plan?.GetRawText();
        var argvJson = argvLength is null ? null : p.OptionalElement("commandArgv")!.Value.GetRawText();
        if ((planJson?.Length ?? 0) + (argvJson?.Length ?? 0) > Options.MaxPolicyDocumentBytes)
        {
            throw new GatewayParamsException($"the request must NOT be larger than {Options.MaxPolicyDocumentBytes} characters");
        }

        var commandText = command ?? (plan is { ValueKind: JsonValueKind.Object } planObject && planObject.TryGetProperty("commandText", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString()! : "");
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["cwd"] = p.OptionalString("cwd", 4096),
            ["nodeId"] = p.OptionalString("nodeId", NodeMethods.MaxNodeIdChars),
            ["agentId"] = p.OptionalString("agentId", 128),
            ["sessionKey"] = p.OptionalString("sessionKey", SessionKey.MaxLength),
            ["runId"] = p.OptionalString("runId", MaxIdChars),
            ["toolCallId"] = p.OptionalString("toolCallId", MaxIdChars),
            ["warningText"] = p.OptionalString("warningText", 4096),
        };

        ExecApproval approval;
        try
        {
            approval = Store.Create(writer =>
            {
                writer.WriteString("command", commandText);
                if (argvJson is not null) writer.WriteRawProperty("commandArgv", argvJson);
                if (planJson is not null) writer.WriteRawProperty("systemRunPlan", planJson);
                writer.WriteString("host", host);
                foreach (var (name, value) in fields)
                {
                    writer.WriteStringOrNull(name, value);
                }
            }, commandText, ExecApproval.AllDecisions, id);
        }
        catch (InvalidOperationException exception)
        {
            return Task.FromResult(GatewayReplies.Unavailable(exception.Message, retryable: true, retryAfterMs: 1000));
        }

        return Task.FromResult(GatewayReply.Success(JsonPayload.Object(writer =>
        {
            writer.WriteString("status", "accepted");
            writer.WriteString("id", approval.Id);
            writer.WriteNumber("createdAtMs", approval.CreatedAtMs);
            writer.WriteNumber("expiresAtMs", approval.ExpiresAtMs);
        })));
    }

    private Task<GatewayReply> Get(GatewayRequest request)
    {
        var approval = Require(request.Params.RequiredString("id", MaxIdChars, allowEmpty: false));
        return Task.FromResult(approval is null ? NotFound(request) : GatewayReply.Success(JsonPayload.Object(writer => WriteFull(writer, approval))));
    }

    private Task<GatewayReply> List(GatewayRequest request)
    {
        var pending = Store.Pending;
        return Task.FromResult(GatewayReply.Success(JsonPayload.Write(writer =>
        {
            writer.WriteStartArray();
            foreach (var approval in pending)
            {
                writer.WriteStartObject();
                ExecApprovalStore.WriteRecordProperties(writer, approval);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        })));
    }

    /// <summary>Waits (bounded by the approval's expiry and <c>timeoutMs</c>) and answers the decision, or null.</summary>
    private async Task<GatewayReply> WaitDecision(GatewayRequest request)
    {
        var id = request.Params.RequiredString("id", MaxIdChars, allowEmpty: false);
        var timeoutMs = request.Params.OptionalInteger("timeoutMs", 0, int.MaxValue);
        var approval = Require(id);
        if (approval is null)
        {
            return NotFound(request);
        }

        var wait = TimeSpan.FromMilliseconds(Math.Max(0, approval.ExpiresAtMs - context.NowMs()));
        if (timeoutMs is { } ms && ms < wait.TotalMilliseconds)
        {
            wait = TimeSpan.FromMilliseconds(ms);
        }

        string? decision;
        try
        {
            decision = await approval.Decided.Task.WaitAsync(wait, context.Time);
        }
        catch (TimeoutException)
        {
            decision = approval.Decision;
        }

        return GatewayReply.Success(JsonPayload.Object(writer =>
        {
            writer.WriteString("id", approval.Id);
            writer.WriteStringOrNull("decision", decision);
            writer.WriteString("status", approval.Status);
        }));
    }

    private async Task<GatewayReply> Resolve(GatewayRequest request)
    {
        var id = request.Params.RequiredString("id", MaxIdChars, allowEmpty: false);
        var decision = request.Params.RequiredString("decision", 32, allowEmpty: false);
        request.Params.OptionalString("reviewer", 256);
        if (!ExecApproval.AllDecisions.Contains(decision))
        {
            throw new GatewayParamsException($"'decision' must be one of {string.Join(", ", ExecApproval.AllDecisions)}");
        }

        var connection = context.Connections.Find(request.ConnectionId);
        var resolvedBy = connection?.DisplayName ?? connection?.ClientId ?? request.Call.ClientId ?? request.ConnectionId;
        var refusal = await Store.ResolveAsync(id, decision, resolvedBy);
        if (refusal is null)
        {
            return GatewayReply.Success("""{"ok":true}""");
        }

        return Store.Find(id) is null
            ? NotFound(request)
            : GatewayReply.Failure(GatewayError.InvalidRequest(refusal));
    }

    private Task<GatewayReply> History(GatewayRequest request)
    {
        var limit = (int)(request.Params.OptionalInteger("limit", 1, 1000) ?? 100);
        var history = Store.History.Take(limit).ToList();
        return Task.FromResult(GatewayReply.Success(JsonPayload.Object(writer =>
        {
            writer.WriteStartArray("approvals");
            foreach (var approval in history)
            {
                writer.WriteStartObject();
                WriteFull(writer, approval);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        })));
    }

    private Task<GatewayReply> PolicyGet(GatewayRequest request) =>
        Task.FromResult(PolicyReply(context.State.Profile.ExecApprovals?.PolicyJson, null));

    private Task<GatewayReply> NodePolicyGet(GatewayRequest request)
    {
        var nodeId = request.Params.RequiredString("nodeId", NodeMethods.MaxNodeIdChars, allowEmpty: false);
        return Task.FromResult(PolicyReply(context.State.Profile.ExecApprovals?.NodePolicies.GetValueOrDefault(nodeId), nodeId));
    }

    private Task<GatewayReply> PolicySet(GatewayRequest request) => SetPolicyAsync(request, null);

    private Task<GatewayReply> NodePolicySet(GatewayRequest request) =>
        SetPolicyAsync(request, request.Params.RequiredString("nodeId", NodeMethods.MaxNodeIdChars, allowEmpty: false));

    private async Task<GatewayReply> SetPolicyAsync(GatewayRequest request, string? nodeId)
    {
        var file = request.Params.OptionalElement("file") ?? throw new GatewayParamsException("must have required property 'file'");
        if (file.ValueKind != JsonValueKind.Object)
        {
            throw new GatewayParamsException("'file' must be an object");
        }

        var json = file.GetRawText();
        if (json.Length > Options.MaxPolicyDocumentBytes)
        {
            throw new GatewayParamsException($"'file' must NOT be larger than {Options.MaxPolicyDocumentBytes} characters of JSON");
        }

        var baseHash = request.Params.OptionalString("baseHash", 128);
        var state = Store.State;
        var current = nodeId is null ? state.PolicyJson : state.NodePolicies.GetValueOrDefault(nodeId);
        if (baseHash is not null && baseHash != Hash(current))
        {
            return GatewayReply.Failure(GatewayError.InvalidRequest("exec approvals changed since they were loaded (baseHash does not match); reload and retry"));
        }

        if (nodeId is null)
        {
            state.PolicyJson = json;
        }
        else
        {
            if (!state.NodePolicies.ContainsKey(nodeId) && state.NodePolicies.Count >= TenantNodes.MaxRemembered)
            {
                return GatewayReply.Failure(GatewayError.InvalidRequest($"at most {TenantNodes.MaxRemembered} node policy documents"));
            }

            state.NodePolicies[nodeId] = json;
        }

        context.State.MarkProfileDirty();
        if (!await context.TrySaveAsync(request.Method))
        {
            return GatewayReplies.Unavailable("the exec approvals could not be saved; try again", retryable: true, retryAfterMs: 1000);
        }

        return PolicyReply(json, nodeId);
    }

    private GatewayReply PolicyReply(string? json, string? nodeId) => GatewayReply.Success(JsonPayload.Object(writer =>
    {
        writer.WriteString("path", nodeId is null ? $"tenants/{context.TenantId}/exec-approvals" : $"tenants/{context.TenantId}/nodes/{nodeId}/exec-approvals");
        writer.WriteBoolean("exists", json is not null);
        writer.WriteString("hash", Hash(json));
        writer.WriteRawProperty("file", json ?? """{"version":1,"defaults":{},"agents":{}}""");
        if (nodeId is not null) writer.WriteString("nodeId", nodeId);
        writer.WriteStringArray("allowlist", context.State.Profile.ExecApprovals?.Allowlist ?? []);
    }));

    private static string Hash(string? json) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(json ?? "")));

    private ExecApproval? Require(string id) => Store.Find(id);

    private static GatewayReply NotFound(GatewayRequest request) => GatewayReply.Failure(new GatewayError
    {
        Code = GatewayErrorCodes.ApprovalNotFound,
        Message = $"unknown approval id: {request.Params.OptionalString("id")}",
    });

    private static void WriteFull(Utf8JsonWriter writer, ExecApproval approval)
    {
        ExecApprovalStore.WriteRecordProperties(writer, approval);
        writer.WriteString("status", approval.Status);
        writer.WriteStringOrNull("decision", approval.Decision);
        writer.WriteStringOrNull("resolvedBy", approval.ResolvedBy);
        writer.WriteNumberOrNull("resolvedAtMs", approval.ResolvedAtMs);
    }
}
