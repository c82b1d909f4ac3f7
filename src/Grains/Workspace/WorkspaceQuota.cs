namespace OpenClaw.Grains.Workspace;

/// <summary>
/// How much one tenant's overlay may hold: files (deletion markers included) and bytes. A write
/// that would go past either is refused before anything is written.
/// </summary>
public sealed record WorkspaceQuota(long MaxBytes, int MaxFiles)
{
    public const long DefaultMaxBytes = 50L * 1024 * 1024;
    public const int DefaultMaxFiles = 5_000;

    public static WorkspaceQuota Default { get; } = new(DefaultMaxBytes, DefaultMaxFiles);
}
