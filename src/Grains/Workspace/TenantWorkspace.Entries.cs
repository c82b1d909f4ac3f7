namespace OpenClaw.Grains.Workspace;

public sealed partial class TenantWorkspace
{
    /// <summary>
    /// The entries of a directory (overlay and template merged, the overlay's copy winning, deleted
    /// template files hidden), in ordinal name order; null when there is no such directory.
    /// Links leading out of their root are left out, as in <see cref="List"/>.
    /// </summary>
    public IReadOnlyList<WorkspaceEntry>? ListEntries(string relativeDirectory)
    {
        var path = Resolve(relativeDirectory, allowRoot: true);
        var overlayIsDirectory = Directory.Exists(path.Overlay);
        var templateIsDirectory = path.Template is not null && Directory.Exists(path.Template);
        if (!overlayIsDirectory && !templateIsDirectory)
        {
            return null;
        }

        var names = List(relativeDirectory);
        var entries = new List<WorkspaceEntry>(names.Count);
        foreach (var relative in names)
        {
            var name = relative[(relative.LastIndexOf('/') + 1)..];
            var entry = Describe(path.Overlay, name) ?? (path.Template is null ? null : Describe(path.Template, name));
            if (entry is not null)
            {
                entries.Add(entry);
            }
        }

        return entries;
    }

    /// <summary>Whether the tenant sees a file, a directory or nothing at the path.</summary>
    public WorkspaceEntryKind KindOf(string relativePath)
    {
        var path = Resolve(relativePath, allowRoot: true);
        if (File.Exists(path.Overlay))
        {
            return WorkspaceEntryKind.File;
        }

        if (Directory.Exists(path.Overlay))
        {
            return WorkspaceEntryKind.Directory;
        }

        if (path.Template is null || IsWhitedOut(path))
        {
            return WorkspaceEntryKind.None;
        }

        return File.Exists(path.Template) ? WorkspaceEntryKind.File
            : Directory.Exists(path.Template) ? WorkspaceEntryKind.Directory
            : WorkspaceEntryKind.None;
    }

    /// <summary>Whether the tenant's copy of the file comes from its overlay (false: the template's or none).</summary>
    public bool IsInOverlay(string relativePath) => File.Exists(Resolve(relativePath, allowRoot: false).Overlay);

    /// <summary>Whether the template has a file at the path that the tenant has not deleted.</summary>
    public bool IsInTemplate(string relativePath)
    {
        var path = Resolve(relativePath, allowRoot: false);
        return path.Template is not null && !IsWhitedOut(path) && File.Exists(path.Template);
    }

    /// <summary>The largest file the workspace reads or writes.</summary>
    public long MaxFileBytes => _maxFileBytes;

    private static WorkspaceEntry? Describe(string directory, string name)
    {
        var full = Path.Join(directory, name);
        if (Directory.Exists(full))
        {
            return new WorkspaceEntry(name, IsDirectory: true, 0);
        }

        var file = new FileInfo(full);
        return file.Exists ? new WorkspaceEntry(name, IsDirectory: false, file.Length) : null;
    }
}

public enum WorkspaceEntryKind
{
    None,
    File,
    Directory,
}
