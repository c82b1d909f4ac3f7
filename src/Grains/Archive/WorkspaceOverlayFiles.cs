using OpenClaw.Grains.Workspace;
using OpenClaw.Runtime;

namespace OpenClaw.Grains.Archive;

/// <summary>
/// A tenant's overlay directory as files with exact bytes: read all (regular files only, never
/// through a symbolic link, never the workspace's own temporary files), write one confined to the
/// overlay (paths validated like every workspace path; a symbolic link on the way is refused), and
/// delete the whole overlay.
/// </summary>
internal sealed class WorkspaceOverlayFiles(string overlayRoot)
{
    private const string TempFilePrefix = ".~tmp-";

    public string Root { get; } = Path.GetFullPath(overlayRoot);

    public bool Any() => Directory.Exists(Root) && Enumerate().Any();

    public async Task<List<(string Path, byte[] Content)>> ReadAllAsync(long maxFileBytes, int maxFiles, CancellationToken cancellationToken)
    {
        var files = new List<(string, byte[])>();
        if (!Directory.Exists(Root))
        {
            return files;
        }

        foreach (var (relative, full) in Enumerate())
        {
            if (files.Count >= maxFiles)
            {
                throw new InvalidOperationException($"The workspace overlay holds more than {maxFiles} files; an archive may carry at most that many.");
            }

            var info = new FileInfo(full);
            if (info.Length > maxFileBytes)
            {
                throw new InvalidOperationException($"Workspace file '{relative}' is {info.Length} bytes; an archive carries files of at most {maxFileBytes} bytes.");
            }

            files.Add((relative, await File.ReadAllBytesAsync(full, cancellationToken)));
        }

        return files;
    }

    /// <summary>Null when <paramref name="relativePath"/> may be written; otherwise why not.</summary>
    public static string? PathProblem(string? relativePath)
    {
        try
        {
            var segments = WorkspacePaths.Split(relativePath, allowRoot: false);
            return string.Join('/', segments) == relativePath && !segments.Any(segment => segment.StartsWith(TempFilePrefix, StringComparison.Ordinal))
                ? null
                : $"'{WorkspacePaths.Printable(relativePath!)}' is not a canonical workspace path";
        }
        catch (WorkspacePathException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>Writes the file (temporary file, flushed, renamed), creating directories; refuses to follow a link out of the overlay.</summary>
    public async Task WriteAsync(string relativePath, byte[] content, CancellationToken cancellationToken)
    {
        var segments = WorkspacePaths.Split(relativePath, allowRoot: false);
        OwnerOnlyPaths.CreateDirectory(Root);
        var target = Path.Join(Root, Path.Join(segments));
        var directory = Path.GetDirectoryName(target)!;
        OwnerOnlyPaths.CreateDirectory(directory);
        var realRoot = RealPath.Resolve(Root);
        if (!RealPath.IsWithin(RealPath.Resolve(target), realRoot) || new FileInfo(target).LinkTarget is not null)
        {
            throw new WorkspacePathException($"'{relativePath}' leads outside the tenant's workspace through a symbolic link.");
        }

        var temp = Path.Join(directory, TempFilePrefix + Guid.NewGuid().ToString("N"));
        try
        {
            var stream = new FileStream(temp, OwnerOnlyPaths.ForNewFile(new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                Options = FileOptions.Asynchronous,
            }));
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(content, cancellationToken);
                await stream.FlushAsync(cancellationToken);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, target, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>Deletes the overlay directory and everything in it (links themselves, never what they point to); returns how many files went.</summary>
    public int DeleteAll()
    {
        if (!Directory.Exists(Root))
        {
            return 0;
        }

        var files = Enumerate().Count();
        Directory.Delete(Root, recursive: true);
        return files;
    }

    private IEnumerable<(string Relative, string Full)> Enumerate()
    {
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            IgnoreInaccessible = true,
            AttributesToSkip = FileAttributes.ReparsePoint,
            ReturnSpecialDirectories = false,
        };
        foreach (var full in Directory.EnumerateFiles(Root, "*", options))
        {
            var relative = Path.GetRelativePath(Root, full).Replace('\\', '/');
            if (Path.GetFileName(full).StartsWith(TempFilePrefix, StringComparison.Ordinal) || PathProblem(relative) is not null)
            {
                continue;
            }

            yield return (relative, full);
        }
    }
}
