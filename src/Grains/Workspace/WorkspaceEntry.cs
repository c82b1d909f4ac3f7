namespace OpenClaw.Grains.Workspace;

/// <summary>One entry of a workspace directory as the tenant sees it (overlay over template).</summary>
public sealed record WorkspaceEntry(string Name, bool IsDirectory, long Size);
