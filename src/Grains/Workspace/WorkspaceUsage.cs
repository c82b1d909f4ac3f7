namespace OpenClaw.Grains.Workspace;

/// <summary>What a tenant's overlay holds: regular files (deletion markers and links count as files) and their bytes.</summary>
public readonly record struct WorkspaceUsage(long Bytes, int Files);
