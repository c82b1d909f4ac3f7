namespace OpenClaw.Grains;

/// <summary>
/// Bounds of a tenant's nodes, node invokes, the <c>exec</c> tool and exec approvals
/// (<c>multiTenant:userGrain:nodes</c>). Everything a node sends is tenant-controlled input, so
/// every size and count here is a hard cap.
/// </summary>
public sealed class NodeOptions
{
    public static readonly TimeSpan DefaultInvokeTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultMaxInvokeTimeout = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan DefaultExecTimeout = TimeSpan.FromMinutes(2);
    public static readonly TimeSpan DefaultPrepareTimeout = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan DefaultApprovalTimeout = TimeSpan.FromMinutes(2);
    public const int DefaultMaxPendingInvokes = 64;
    public const int DefaultMaxResultBytes = 1024 * 1024;
    public const int DefaultMaxProgressBytes = 1024 * 1024;
    public const int DefaultMaxPendingApprovals = 32;
    public const int DefaultApprovalHistory = 100;
    public const int DefaultMaxAllowlistEntries = 256;
    public const int DefaultMaxPolicyDocumentBytes = 64 * 1024;
    public const int DefaultMaxNodeMetadataBytes = 64 * 1024;

    /// <summary>Wait for a <c>node.invoke</c> result when the caller gives no <c>timeoutMs</c>.</summary>
    public TimeSpan InvokeTimeout { get; set; } = DefaultInvokeTimeout;

    /// <summary>The longest wait a caller may ask for (<c>timeoutMs</c> is clamped to it).</summary>
    public TimeSpan MaxInvokeTimeout { get; set; } = DefaultMaxInvokeTimeout;

    /// <summary><c>exec</c>: how long <c>system.run</c> may take when the model gives no <c>timeoutSeconds</c> (clamped to <see cref="MaxInvokeTimeout"/>).</summary>
    public TimeSpan ExecTimeout { get; set; } = DefaultExecTimeout;

    /// <summary><c>exec</c>: the wait for <c>system.run.prepare</c> and <c>system.execApprovals.get</c>.</summary>
    public TimeSpan PrepareTimeout { get; set; } = DefaultPrepareTimeout;

    /// <summary>
    /// How long a pending exec approval waits for an answer. Must be below the run timeout (and,
    /// with <see cref="PrepareTimeout"/> and <see cref="ExecTimeout"/>, below the agent loop's tool
    /// timeout: the defaults 15 s + 2 min + 2 min fit in its 5 min), else the run or the loop ends
    /// the exec call first (it is then cancelled on the node and the approval withdrawn).
    /// </summary>
    public TimeSpan ApprovalTimeout { get; set; } = DefaultApprovalTimeout;

    /// <summary>Node invokes in flight per tenant (node.invoke and exec together).</summary>
    public int MaxPendingInvokes { get; set; } = DefaultMaxPendingInvokes;

    /// <summary>Largest <c>payload</c>/<c>payloadJSON</c> of a <c>node.invoke.result</c>, in UTF-16 chars of its JSON text.</summary>
    public int MaxResultBytes { get; set; } = DefaultMaxResultBytes;

    /// <summary>Streamed <c>node.invoke.progress</c> text kept per invoke; later chunks are dropped.</summary>
    public int MaxProgressBytes { get; set; } = DefaultMaxProgressBytes;

    public int MaxPendingApprovals { get; set; } = DefaultMaxPendingApprovals;

    /// <summary>Resolved approvals kept for <c>approval.history</c>.</summary>
    public int ApprovalHistory { get; set; } = DefaultApprovalHistory;

    /// <summary>Commands kept by <c>allow-always</c>.</summary>
    public int MaxAllowlistEntries { get; set; } = DefaultMaxAllowlistEntries;

    /// <summary>Largest <c>exec.approvals.set</c> / <c>exec.approvals.node.set</c> document.</summary>
    public int MaxPolicyDocumentBytes { get; set; } = DefaultMaxPolicyDocumentBytes;

    /// <summary>Largest plugin-tool / skill / inventory document a node may store for <c>node.describe</c>.</summary>
    public int MaxNodeMetadataBytes { get; set; } = DefaultMaxNodeMetadataBytes;

    /// <summary>Adds what is wrong with <paramref name="options"/> to <paramref name="failures"/>.</summary>
    internal static void Validate(NodeOptions? options, TimeSpan runTimeout, List<string> failures)
    {
        if (options is null)
        {
            failures.Add("Nodes must be set.");
            return;
        }

        void Require(bool condition, string message)
        {
            if (!condition) failures.Add(message);
        }

        Require(options.InvokeTimeout > TimeSpan.Zero, "Nodes.InvokeTimeout must be positive.");
        Require(options.MaxInvokeTimeout >= options.InvokeTimeout, "Nodes.MaxInvokeTimeout must be at least Nodes.InvokeTimeout.");
        Require(options.ExecTimeout > TimeSpan.Zero && options.ExecTimeout <= options.MaxInvokeTimeout, "Nodes.ExecTimeout must be positive and at most Nodes.MaxInvokeTimeout.");
        Require(options.PrepareTimeout > TimeSpan.Zero, "Nodes.PrepareTimeout must be positive.");
        Require(options.ApprovalTimeout > TimeSpan.Zero && options.ApprovalTimeout < runTimeout, "Nodes.ApprovalTimeout must be positive and below RunTimeout.");
        Require(options.MaxPendingInvokes is >= 1 and <= 10_000, "Nodes.MaxPendingInvokes must be between 1 and 10000.");
        Require(options.MaxResultBytes is >= 1024 and <= 64 * 1024 * 1024, "Nodes.MaxResultBytes must be between 1 KiB and 64 MiB.");
        Require(options.MaxProgressBytes is >= 0 and <= 64 * 1024 * 1024, "Nodes.MaxProgressBytes must be between 0 and 64 MiB.");
        Require(options.MaxPendingApprovals is >= 1 and <= 10_000, "Nodes.MaxPendingApprovals must be between 1 and 10000.");
        Require(options.ApprovalHistory is >= 0 and <= 10_000, "Nodes.ApprovalHistory must be between 0 and 10000.");
        Require(options.MaxAllowlistEntries is >= 0 and <= 100_000, "Nodes.MaxAllowlistEntries must be between 0 and 100000.");
        Require(options.MaxPolicyDocumentBytes is >= 1024 and <= 16 * 1024 * 1024, "Nodes.MaxPolicyDocumentBytes must be between 1 KiB and 16 MiB.");
        Require(options.MaxNodeMetadataBytes is >= 1024 and <= 16 * 1024 * 1024, "Nodes.MaxNodeMetadataBytes must be between 1 KiB and 16 MiB.");
    }
}
