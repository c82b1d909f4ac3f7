namespace OpenClaw.Grains.Gateway;

/// <summary>
/// The tenant's durable exec-approval data (in its <c>profile</c> state): commands approved with
/// <c>allow-always</c> and the policy documents set with <c>exec.approvals.set</c> /
/// <c>exec.approvals.node.set</c>. All bounded by <see cref="NodeOptions"/>.
/// </summary>
public sealed class ExecApprovalsState
{
    /// <summary>Exact command texts (the prepared plan's <c>commandText</c>) that run without asking again.</summary>
    public List<string> Allowlist { get; set; } = [];

    /// <summary>The document of <c>exec.approvals.set</c> as JSON text, or null.</summary>
    public string? PolicyJson { get; set; }

    /// <summary>Node id → the document of <c>exec.approvals.node.set</c> as JSON text.</summary>
    public Dictionary<string, string> NodePolicies { get; set; } = new(StringComparer.Ordinal);
}
