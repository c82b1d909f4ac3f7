namespace OpenClaw.Grains.Agent;

/// <summary>
/// A tool the tenant's agent may call during a run. Every tool acts only on the tenant's own data
/// (its workspace, its sessions, its jobs), reaches the network only through the egress policy, or
/// is routed to a node the tenant connected: no tenant code ever runs in the silo.
/// Tools run on the activation's turn (single-threaded with the rest of the tenant), so they may use
/// the <see cref="ToolRunContext.Gateway"/> state directly; they must honour cancellation (abort).
/// </summary>
internal interface IAgentTool
{
    /// <summary>The exact, case-sensitive name the model calls (<c>read</c>, <c>exec</c>, …).</summary>
    string Name { get; }

    /// <summary>One line for the model and the prompt's tool list.</summary>
    string Description { get; }

    /// <summary>The JSON schema object of the tool's arguments, sent to the model verbatim.</summary>
    string ParametersJson { get; }

    /// <summary>
    /// Runs the call. A problem the model should see (bad path, no node, refused) is an
    /// <see cref="AgentToolException"/> or a <see cref="ToolResult.Error"/>; anything else thrown is
    /// reported to the model as an internal failure without its details.
    /// </summary>
    Task<ToolResult> ExecuteAsync(AgentToolCall call, ToolRunContext context, CancellationToken cancellationToken);
}
