namespace OpenClaw.Grains.Workspace;

/// <summary>A workspace file is (or would become) larger than <see cref="WorkspaceOptions.MaxFileBytes"/>.</summary>
public sealed class WorkspaceFileTooLargeException(string message, long actualBytes, long limitBytes) : IOException(message)
{
    public long ActualBytes { get; } = actualBytes;

    public long LimitBytes { get; } = limitBytes;
}
