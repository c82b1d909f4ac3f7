namespace OpenClaw.Runtime;

/// <summary>
/// Files and directories that hold tenant data (grain state, the tenant store, workspaces, the
/// demo token) are private to the silo's user: files 0600, directories 0700, set explicitly at
/// creation so the umask does not matter. On Windows these fall back to the plain calls (files
/// inherit the directory's ACL there).
/// </summary>
public static class OwnerOnlyPaths
{
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>
    /// Creates <paramref name="path"/> and every missing parent as 0700 (<see cref="Directory.CreateDirectory(string, UnixFileMode)"/>
    /// gives the mode to the last level only). Existing directories are left as they are.
    /// </summary>
    public static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        if (Directory.Exists(full))
        {
            return;
        }

        if (Path.GetDirectoryName(full) is { Length: > 0 } parent)
        {
            CreateDirectory(parent);
        }

        Directory.CreateDirectory(full, DirectoryMode);
    }

    /// <summary>Makes <paramref name="options"/> create its file as 0600.</summary>
    public static FileStreamOptions ForNewFile(FileStreamOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }

        return options;
    }

    /// <summary>
    /// Narrows an existing file or directory that group or others can use (made by an older version
    /// or by hand) to 0600 / 0700. Returns false with the reason when that is not possible (for
    /// example another user owns it); a missing path is fine.
    /// </summary>
    public static bool TryRestrict(string path, out string? problem)
    {
        problem = null;
        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        try
        {
            var isDirectory = Directory.Exists(path);
            if (!isDirectory && !File.Exists(path))
            {
                return true;
            }

            var wanted = isDirectory ? DirectoryMode : FileMode;
            var current = File.GetUnixFileMode(path);
            if ((current & ~wanted) != 0)
            {
                File.SetUnixFileMode(path, current & wanted);
            }

            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = e.Message;
            return false;
        }
    }
}
