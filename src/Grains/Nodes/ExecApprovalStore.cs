using System.Text.Json;
using OpenClaw.Grains.Gateway;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.Nodes;

/// <summary>
/// The tenant's exec approvals: pending ones (bounded, each expiring after
/// <see cref="NodeOptions.ApprovalTimeout"/>), a bounded history of answered ones, and the durable
/// allowlist / policy documents. Requests and answers go only to the tenant's sockets that have
/// <c>operator.approvals</c> and an approvals cap. The first answer wins; nothing the agent can
/// call resolves an approval.
/// </summary>
internal sealed class ExecApprovalStore(GatewayContext context, NodeOptions options)
{
    public static readonly IReadOnlyList<string> ApproverCaps = ["exec-approvals", "approvals"];

    private readonly Dictionary<string, ExecApproval> _pending = new(StringComparer.Ordinal);
    private readonly LinkedList<ExecApproval> _history = new();

    /// <summary>True when a socket that may answer an approval is connected now.</summary>
    public bool ApproverConnected => context.Connections.AnyReceiver(GatewayMethodCatalog.ScopeApprovals, ApproverCaps);

    public IReadOnlyList<ExecApproval> Pending
    {
        get
        {
            ExpireDue();
            return _pending.Values.OrderBy(approval => approval.CreatedAtMs).ToList();
        }
    }

    public IEnumerable<ExecApproval> History => _history;

    public ExecApprovalsState State => context.State.Profile.ExecApprovals ??= new ExecApprovalsState();

    public bool IsAllowlisted(string commandText) => context.State.Profile.ExecApprovals?.Allowlist.Contains(commandText, StringComparer.Ordinal) == true;

    /// <summary>Creates a pending approval and sends <c>exec.approval.requested</c> to the approvers.</summary>
    public ExecApproval Create(Action<Utf8JsonWriter> writeRequest, string commandText, IReadOnlyList<string> allowedDecisions, string? id = null)
    {
        ExpireDue();
        if (_pending.Count >= options.MaxPendingApprovals)
        {
            throw new InvalidOperationException($"too many exec approvals pending (at most {options.MaxPendingApprovals})");
        }

        id ??= Guid.NewGuid().ToString();
        if (_pending.ContainsKey(id) || _history.Any(approval => approval.Id == id))
        {
            throw new GatewayParamsException($"an approval with id \"{id}\" already exists");
        }

        var now = context.NowMs();
        var requestJson = JsonPayload.Object(writer =>
        {
            writeRequest(writer);
            writer.WriteStringArray("unavailableDecisions", ExecApproval.AllDecisions.Except(allowedDecisions));
            writer.WriteStringArray("allowedDecisions", allowedDecisions);
        });
        var approval = new ExecApproval(id, requestJson, commandText, allowedDecisions, now, now + (long)options.ApprovalTimeout.TotalMilliseconds);
        _pending.Add(id, approval);
        NodeLog.ApprovalRequested(context.Logger, context.TenantId, id);
        Publish("exec.approval.requested", WriteRecord(approval));
        return approval;
    }

    public ExecApproval? Find(string id)
    {
        ExpireDue();
        return _pending.GetValueOrDefault(id) ?? _history.FirstOrDefault(approval => approval.Id == id);
    }

    /// <summary>Resolves a pending approval; returns why not when it cannot be (unknown, answered, expired, decision not offered).</summary>
    public async Task<string?> ResolveAsync(string id, string decision, string resolvedBy)
    {
        ExpireDue();
        if (!_pending.TryGetValue(id, out var approval))
        {
            var done = _history.FirstOrDefault(entry => entry.Id == id);
            return done is null ? $"unknown approval id \"{id}\""
                : done.Expired ? $"approval \"{id}\" expired"
                : $"approval \"{id}\" was already resolved ({done.Decision})";
        }

        if (!approval.AllowedDecisions.Contains(decision))
        {
            return $"decision \"{decision}\" is not offered for this approval (allowed: {string.Join(", ", approval.AllowedDecisions)})";
        }

        approval.Decision = decision;
        approval.ResolvedBy = resolvedBy;
        approval.ResolvedAtMs = context.NowMs();
        Retire(approval);
        NodeLog.ApprovalResolved(context.Logger, context.TenantId, id, decision, resolvedBy);
        if (decision == ExecApproval.AllowAlways)
        {
            await RememberAsync(approval.CommandText);
        }

        Publish("exec.approval.resolved", JsonPayload.Object(writer =>
        {
            writer.WriteString("id", approval.Id);
            writer.WriteString("decision", decision);
            writer.WriteString("resolvedBy", resolvedBy);
            writer.WriteNumber("ts", approval.ResolvedAtMs.Value);
            writer.WriteRawProperty("request", approval.RequestJson);
        }));
        approval.Decided.TrySetResult(decision);
        return null;
    }

    /// <summary>Waits for the decision: null when the approval expires first; cancellation (run abort) withdraws it.</summary>
    public async Task<string?> WaitAsync(ExecApproval approval, CancellationToken cancellationToken)
    {
        var remaining = TimeSpan.FromMilliseconds(Math.Max(0, approval.ExpiresAtMs - context.NowMs()));
        try
        {
            return await approval.Decided.Task.WaitAsync(remaining, context.Time, cancellationToken);
        }
        catch (TimeoutException)
        {
            Expire(approval);
            return null;
        }
        catch (OperationCanceledException)
        {
            Expire(approval);
            throw;
        }
    }

    /// <summary>The <c>exec.approval.requested</c> payload (also what <c>exec.approval.list</c> lists).</summary>
    public static string WriteRecord(ExecApproval approval) => JsonPayload.Object(writer => WriteRecordProperties(writer, approval));

    public static void WriteRecordProperties(Utf8JsonWriter writer, ExecApproval approval)
    {
        writer.WriteString("approvalKind", "exec");
        writer.WriteString("id", approval.Id);
        writer.WriteRawProperty("request", approval.RequestJson);
        writer.WriteNumber("createdAtMs", approval.CreatedAtMs);
        writer.WriteNumber("expiresAtMs", approval.ExpiresAtMs);
    }

    private void ExpireDue()
    {
        var now = context.NowMs();
        foreach (var approval in _pending.Values.Where(entry => entry.ExpiresAtMs <= now).ToList())
        {
            Expire(approval);
        }
    }

    private void Expire(ExecApproval approval)
    {
        if (approval.Decision is not null || approval.Expired)
        {
            return;
        }

        approval.Expired = true;
        NodeLog.ApprovalExpired(context.Logger, context.TenantId, approval.Id);
        Retire(approval);
        approval.Decided.TrySetResult(null);
    }

    private void Retire(ExecApproval approval)
    {
        _pending.Remove(approval.Id);
        if (options.ApprovalHistory == 0)
        {
            return;
        }

        _history.AddFirst(approval);
        while (_history.Count > options.ApprovalHistory)
        {
            _history.RemoveLast();
        }
    }

    private async Task RememberAsync(string commandText)
    {
        var allowlist = State.Allowlist;
        if (allowlist.Contains(commandText, StringComparer.Ordinal) || options.MaxAllowlistEntries == 0)
        {
            return;
        }

        if (allowlist.Count >= options.MaxAllowlistEntries)
        {
            allowlist.RemoveAt(0);
        }

        allowlist.Add(commandText);
        context.State.MarkProfileDirty();
        await context.TrySaveAsync("exec allow-always");
    }

    private void Publish(string name, string payloadJson) =>
        context.Events.Publish(new TenantEvent(name, payloadJson)
        {
            RequiredScope = GatewayMethodCatalog.ScopeApprovals,
            RequiredAnyCap = ApproverCaps,
        });
}
