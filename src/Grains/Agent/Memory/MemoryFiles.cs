using System.Text;
using OpenClaw.Grains.Workspace;

namespace OpenClaw.Grains.Agent.Memory;

/// <summary>
/// The tenant's memory files: <c>MEMORY.md</c>, <c>USER.md</c> and <c>memory/**/*.md</c> in its
/// workspace (overlay over the template), nothing else. Paths go through the workspace's own
/// confinement (no absolute paths, no <c>..</c>, no symbolic link out), then this allowlist.
/// </summary>
internal static class MemoryFiles
{
    public const string MemoryFile = "MEMORY.md";
    public const string UserFile = "USER.md";
    public const string MemoryDirectory = "memory";

    /// <summary>The canonical workspace path of a memory file, or an <see cref="AgentToolException"/> saying why not.</summary>
    public static string Normalize(string path)
    {
        string[] segments;
        try
        {
            segments = WorkspacePaths.Split(path, allowRoot: false);
        }
        catch (WorkspacePathException ex)
        {
            throw new AgentToolException(ex.Message, "MEMORY_PATH_DENIED");
        }

        var relative = string.Join('/', segments);
        if (!IsMemoryPath(segments))
        {
            throw new AgentToolException(
                $"'{WorkspacePaths.Printable(relative)}' is not a memory file: only {MemoryFile}, {UserFile} and {MemoryDirectory}/**/*.md can be read here",
                "MEMORY_PATH_DENIED");
        }

        return relative;
    }

    public static bool IsMemoryPath(IReadOnlyList<string> segments) =>
        segments.Count switch
        {
            0 => false,
            1 => segments[0] is MemoryFile or UserFile,
            _ => segments[0] == MemoryDirectory && segments[^1].EndsWith(".md", StringComparison.Ordinal) && segments[^1].Length > 3,
        };

    /// <summary>The result of reading the memory files within the scan budget.</summary>
    public sealed record Scan(IReadOnlyList<(string Path, string Text)> Files, bool Incomplete);

    /// <summary>
    /// Reads the memory files, MEMORY.md and USER.md first, then memory/ breadth first in name
    /// order, within <see cref="MemoryLimits"/>: past a bound the scan stops and says so.
    /// Unreadable or oversized files are skipped.
    /// </summary>
    public static async Task<Scan> ReadAllAsync(TenantWorkspace workspace, CancellationToken cancellationToken)
    {
        var files = new List<(string, string)>();
        long bytes = 0;
        var incomplete = false;
        var exhausted = false;

        async Task<bool> TryAdd(string path)
        {
            if (files.Count >= MemoryLimits.SearchMaxFiles || bytes >= MemoryLimits.SearchMaxBytes)
            {
                incomplete = exhausted = true;
                return false;
            }

            string? text;
            try
            {
                text = await workspace.ReadTextAsync(path, cancellationToken);
            }
            catch (Exception ex) when (ex is WorkspacePathException or IOException or UnauthorizedAccessException)
            {
                return true; // too large, unreadable, or a link out of the workspace: not part of the search
            }

            if (text is null)
            {
                return true;
            }

            var size = Encoding.UTF8.GetByteCount(text);
            if (bytes + size > MemoryLimits.SearchMaxBytes)
            {
                incomplete = exhausted = true;
                return false;
            }

            bytes += size;
            files.Add((path, text));
            return true;
        }

        await TryAdd(MemoryFile);
        await TryAdd(UserFile);

        var directories = new Queue<(string Path, int Depth)>();
        directories.Enqueue((MemoryDirectory, 1));
        var listed = 0;
        while (directories.Count > 0 && !exhausted)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (directory, depth) = directories.Dequeue();
            if (++listed > MemoryLimits.SearchMaxDirectories)
            {
                incomplete = true;
                break;
            }

            IReadOnlyList<string> entries;
            try
            {
                entries = workspace.List(directory);
            }
            catch (Exception ex) when (ex is WorkspacePathException or IOException or UnauthorizedAccessException)
            {
                continue;
            }

            foreach (var entry in entries)
            {
                if (IsDirectory(workspace, entry))
                {
                    if (depth < MemoryLimits.SearchMaxDepth)
                    {
                        directories.Enqueue((entry, depth + 1));
                    }
                    else
                    {
                        incomplete = true;
                    }
                }
                else if (entry.EndsWith(".md", StringComparison.Ordinal) && !await TryAdd(entry))
                {
                    break;
                }
            }
        }

        return new Scan(files, incomplete);
    }

    /// <summary>True when the entry lists as a directory (a file lists as nothing).</summary>
    private static bool IsDirectory(TenantWorkspace workspace, string entry)
    {
        var overlay = Path.Join(workspace.TenantRoot, entry);
        var template = workspace.TemplateRoot is null ? null : Path.Join(workspace.TemplateRoot, entry);
        return Directory.Exists(overlay) || (template is not null && Directory.Exists(template));
    }
}
