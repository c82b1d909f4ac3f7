namespace OpenClaw.Grains.Workspace;

/// <summary>
/// Deleting a file the template provides: the overlay keeps a marker (<c>.~wh-&lt;name&gt;</c>
/// beside where the file would be) that hides the template's copy from this tenant only. Writing
/// the file again removes the marker.
/// </summary>
public sealed partial class TenantWorkspace
{
    private const string WhiteoutPrefix = ".~wh-";

    /// <summary>
    /// Removes the file from the tenant's view: its overlay copy is deleted and a template copy, if
    /// any, is hidden. False when the tenant saw no such file. Directories are refused.
    /// </summary>
    public Task<bool> RemoveAsync(string relativePath, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var path = Resolve(relativePath, allowRoot: false);
        if (Directory.Exists(path.Overlay) || (path.Template is not null && !IsWhitedOut(path) && Directory.Exists(path.Template)))
        {
            throw new WorkspacePathException($"'{path.Relative}' is a directory.");
        }

        var removed = false;
        var previousBytes = OverlayFileBytes(path.Overlay);
        if (previousBytes >= 0)
        {
            File.Delete(path.Overlay);
            RecordDelete(previousBytes);
            removed = true;
        }

        if (path.Template is not null && File.Exists(path.Template) && !IsWhitedOut(path))
        {
            // The marker is a file: it counts against the quota like one.
            EnsureQuota([(-1, 0)], $"deleting '{path.Relative}'");
            var whiteout = WhiteoutPath(path)!;
            OwnerOnlyCreate(whiteout);
            RecordWrite(-1, 0);
            removed = true;
        }

        return Task.FromResult(removed);
    }

    /// <summary>True when the tenant deleted the template's copy of this path.</summary>
    private static bool IsWhitedOut(ResolvedPath path) => WhiteoutPath(path) is { } whiteout && File.Exists(whiteout);

    private static string? WhiteoutPath(ResolvedPath path)
    {
        var directory = Path.GetDirectoryName(path.Overlay);
        var name = Path.GetFileName(path.Overlay);
        return directory is null || name.Length == 0 ? null : Path.Join(directory, WhiteoutPrefix + name);
    }

    private static void OwnerOnlyCreate(string fullPath)
    {
        OpenClaw.Runtime.OwnerOnlyPaths.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        using var stream = new FileStream(fullPath, OpenClaw.Runtime.OwnerOnlyPaths.ForNewFile(new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            Share = FileShare.None,
        }));
    }
}
