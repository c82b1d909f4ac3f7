using OpenClaw.Grains.Gateway;

namespace OpenClaw.Grains.Nodes;

/// <summary>A tenant's nodes, its invokes in flight and its exec approvals: one per activation (see <see cref="GatewayContext.Nodes"/>).</summary>
internal sealed class NodeHub(GatewayContext context)
{
    public NodeOptions Options => context.Options.Nodes;

    public TenantNodes Registry { get; } = new(context.Connections, context.Options.Nodes);

    public NodeInvoker Invoker { get; } = new(context, context.Options.Nodes);

    public ExecApprovalStore Approvals { get; } = new(context, context.Options.Nodes);

    public ActiveExecs Execs { get; } = new();
}
