namespace OpenClaw.Grains.Workspace;

/// <summary>A write would take the tenant's overlay past its <see cref="WorkspaceQuota"/>; nothing was written.</summary>
public sealed class WorkspaceQuotaExceededException(string message) : IOException(message);
