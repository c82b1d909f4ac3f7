using OpenClaw.Grains.Gateway;
using OpenClaw.Grains.Workspace;

namespace OpenClaw.Grains.Agent.Prompt;

/// <summary>
/// The first-run ritual (AGENT.md §1 "BOOTSTRAP.md"): the template's BOOTSTRAP.md counts only for
/// a brand-new workspace. The first primary run decides, once, and records it with a workspace
/// marker: a tenant with no conversation yet has its setup <i>pending</i> until BOOTSTRAP.md is
/// deleted; any other tenant (one that existed before the file was added to the template) is marked
/// done and the template's BOOTSTRAP.md is hidden from it, so it never sees the ritual.
/// </summary>
internal static class BootstrapSetup
{
    public const string PendingMarker = "setup-pending";
    public const string CompletedMarker = "setup-completed";

    /// <summary>True when the run should follow BOOTSTRAP.md (it exists and setup is pending).</summary>
    public static async Task<bool> IsPendingAsync(GatewayContext context, TenantWorkspace workspace, ChatRun run, CancellationToken ct)
    {
        if (workspace.HasMarker(CompletedMarker))
        {
            return false;
        }

        var exists = workspace.KindOf(BootstrapFiles.Bootstrap) == WorkspaceEntryKind.File;
        if (workspace.HasMarker(PendingMarker))
        {
            if (exists)
            {
                return true;
            }

            // The ritual is over: the tenant deleted the file.
            workspace.SetMarker(CompletedMarker);
            workspace.ClearMarker(PendingMarker);
            return false;
        }

        if (!PromptSessionClassifier.IsPrimaryInteractive(run))
        {
            return false; // only the primary run decides
        }

        if (exists && IsBrandNew(context))
        {
            workspace.SetMarker(PendingMarker);
            return true;
        }

        if (exists && !workspace.IsInOverlay(BootstrapFiles.Bootstrap))
        {
            await workspace.RemoveAsync(BootstrapFiles.Bootstrap, ct);
        }

        workspace.SetMarker(CompletedMarker);
        return false;
    }

    /// <summary>No session has more than the prompt of the run being prepared.</summary>
    private static bool IsBrandNew(GatewayContext context)
    {
        long messages = 0;
        foreach (var session in context.Sessions.ListByRecency())
        {
            messages += Math.Max(0, session.NextSeq - 1);
            if (messages > 1)
            {
                return false;
            }
        }

        return true;
    }
}
