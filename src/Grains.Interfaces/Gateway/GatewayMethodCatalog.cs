namespace OpenClaw.Grains.Interfaces;

/// <summary>
/// The protocol methods and events this gateway implements, with the operator scope each method
/// needs. The edge advertises them in hello-ok <c>features</c>; the grain enforces the scopes.
/// </summary>
public static class GatewayMethodCatalog
{
    public const string ScopeRead = "operator.read";
    public const string ScopeWrite = "operator.write";
    public const string ScopeAdmin = "operator.admin";
    public const string ScopeApprovals = "operator.approvals";
    public const string ScopePairing = "operator.pairing";

    /// <summary>Pseudo-scope of the methods only a <c>role:"node"</c> connection may call (<c>node.invoke.result</c>, …).</summary>
    public const string RoleNode = "role:node";

    /// <summary>Internal method the edge uses to fetch the second (final) response of <c>agent</c>.</summary>
    public const string AgentFinal = "agent.final";

    /// <summary>Method name → required scope (null: answered for any authenticated connection).</summary>
    public static readonly IReadOnlyDictionary<string, string?> Methods = new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        ["health"] = null,
        ["status"] = ScopeRead,
        ["sessions.list"] = ScopeRead,
        ["sessions.subscribe"] = ScopeRead,
        ["sessions.unsubscribe"] = ScopeRead,
        ["sessions.describe"] = ScopeRead,
        ["sessions.reset"] = ScopeAdmin,
        ["sessions.delete"] = ScopeAdmin,
        ["chat.history"] = ScopeRead,
        ["chat.send"] = ScopeWrite,
        ["chat.abort"] = ScopeWrite,
        ["agent"] = ScopeWrite,
        ["agent.wait"] = ScopeWrite,
        ["agents.list"] = ScopeRead,
        ["node.list"] = ScopeRead,
        ["node.describe"] = ScopeRead,
        ["node.rename"] = ScopePairing,
        ["node.pair.list"] = ScopePairing,
        ["node.pair.approve"] = ScopePairing,
        ["node.pair.reject"] = ScopePairing,
        ["node.pair.remove"] = ScopePairing,
        ["node.invoke"] = ScopeWrite,
        ["node.invoke.result"] = RoleNode,
        ["node.invoke.progress"] = RoleNode,
        ["node.event"] = RoleNode,
        ["node.pluginTools.update"] = RoleNode,
        ["node.skills.update"] = RoleNode,
        ["node.pending.pull"] = RoleNode,
        ["node.pending.ack"] = RoleNode,
        ["node.pluginSurface.refresh"] = RoleNode,
        ["node.runnerInventory.update"] = RoleNode,
        ["skills.bins"] = RoleNode,
        ["exec.approval.request"] = ScopeApprovals,
        ["exec.approval.get"] = ScopeApprovals,
        ["exec.approval.list"] = ScopeApprovals,
        ["exec.approval.waitDecision"] = ScopeApprovals,
        ["exec.approval.resolve"] = ScopeApprovals,
        ["approval.get"] = ScopeApprovals,
        ["approval.resolve"] = ScopeApprovals,
        ["approval.history"] = ScopeApprovals,
        ["exec.approvals.get"] = ScopeAdmin,
        ["exec.approvals.set"] = ScopeAdmin,
        ["exec.approvals.node.get"] = ScopeAdmin,
        ["exec.approvals.node.set"] = ScopeAdmin,
        ["commands.list"] = ScopeRead,
        ["config.get"] = ScopeRead,
        ["config.patch"] = ScopeAdmin,
        ["question.list"] = ScopeRead,
        ["plugin.approval.list"] = ScopeApprovals,
        ["taskSuggestions.list"] = ScopeRead,
        ["cron.list"] = ScopeRead,
        ["cron.get"] = ScopeRead,
        ["cron.status"] = ScopeRead,
        ["cron.runs"] = ScopeRead,
        ["cron.add"] = ScopeAdmin,
        ["cron.update"] = ScopeAdmin,
        ["cron.remove"] = ScopeAdmin,
        ["cron.run"] = ScopeAdmin,
        ["last-heartbeat"] = ScopeRead,
        ["set-heartbeats"] = ScopeAdmin,
        ["wake"] = ScopeWrite,
        ["system-event"] = ScopeAdmin,
    };

    /// <summary>Methods the edge sends through <see cref="IUserGrain.InvokeInterleaved"/>.</summary>
    public static readonly IReadOnlySet<string> InterleavedMethods = new HashSet<string>(StringComparer.Ordinal)
    {
        "chat.abort", "agent.wait", AgentFinal,
    };

    public static readonly IReadOnlyList<string> Events =
    [
        "node.invoke.request", "node.invoke.cancel", "exec.approval.requested", "exec.approval.resolved",
        "connect.challenge", "tick", "health", "presence", "shutdown",
        "chat", "agent", "chat.send_timing", "sessions.changed", "session.message",
        "session.tool",
        "cron", "heartbeat",
    ];

    /// <summary>True when a connection with <paramref name="role"/> and <paramref name="granted"/> scopes may call a method that requires <paramref name="required"/>.</summary>
    public static bool IsAllowed(string role, IReadOnlyList<string> granted, string? required) =>
        required == RoleNode ? role == GatewayRoles.Node : HasScope(granted, required);

    /// <summary>
    /// True when <paramref name="granted"/> satisfies <paramref name="required"/>: admin satisfies
    /// every operator scope, write satisfies read.
    /// </summary>
    public static bool HasScope(IReadOnlyList<string> granted, string? required)
    {
        if (required is null) return true;
        if (required == RoleNode) return false; // a role, not a scope: see IsAllowed
        foreach (var scope in granted)
        {
            if (scope == required || scope == ScopeAdmin) return true;
            if (required == ScopeRead && scope == ScopeWrite) return true;
        }
        return false;
    }
}
