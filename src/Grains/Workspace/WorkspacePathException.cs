namespace OpenClaw.Grains.Workspace;

/// <summary>
/// A path a tenant named is not allowed: absolute, with <c>..</c>, invalid characters, or
/// leading (through a symlink) outside the tenant's workspace or the template.
/// </summary>
public sealed class WorkspacePathException(string message) : Exception(message);
