namespace OpenClaw.Grains.Workspace;

/// <summary>
/// Resolves a full path the way the operating system will when it is opened: every existing
/// component that is a symbolic link is replaced by its target (relative targets resolve against
/// the link's directory, chains are followed), <c>..</c> in targets is applied to the resolved
/// path. The part of the path that does not exist yet is appended as it is.
/// </summary>
internal static class RealPath
{
    private const int MaxSymbolicLinkHops = 40;

    public static string Resolve(string fullPath)
    {
        var root = Path.GetPathRoot(fullPath);
        if (string.IsNullOrEmpty(root))
        {
            throw new ArgumentException("The path must be absolute.", nameof(fullPath));
        }

        var pending = new Stack<string>();
        PushSegments(pending, fullPath[root.Length..]);
        var current = root;
        var missing = false;
        var hops = 0;
        while (pending.TryPop(out var segment))
        {
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }

            var next = Path.Join(current, segment);
            if (missing)
            {
                current = next;
                continue;
            }

            var linkTarget = new FileInfo(next).LinkTarget;
            if (linkTarget is not null)
            {
                if (++hops > MaxSymbolicLinkHops)
                {
                    throw new WorkspacePathException("Too many levels of symbolic links.");
                }

                var targetRoot = Path.GetPathRoot(linkTarget);
                if (!string.IsNullOrEmpty(targetRoot))
                {
                    current = targetRoot;
                    PushSegments(pending, linkTarget[targetRoot.Length..]);
                }
                else
                {
                    PushSegments(pending, linkTarget);
                }

                continue;
            }

            if (!Directory.Exists(next) && !File.Exists(next))
            {
                missing = true;
            }

            current = next;
        }

        return current;
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="root"/> or lies beneath it (both resolved).</summary>
    public static bool IsWithin(string path, string root)
    {
        var comparison = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS()
            ? StringComparison.OrdinalIgnoreCase
            : StringComparison.Ordinal;
        var trimmedRoot = Path.TrimEndingDirectorySeparator(root);
        if (string.Equals(Path.TrimEndingDirectorySeparator(path), trimmedRoot, comparison))
        {
            return true;
        }

        var prefix = Path.EndsInDirectorySeparator(trimmedRoot) ? trimmedRoot : trimmedRoot + Path.DirectorySeparatorChar;
        return path.StartsWith(prefix, comparison);
    }

    private static void PushSegments(Stack<string> pending, string relative)
    {
        var segments = relative.Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar]);
        for (var i = segments.Length - 1; i >= 0; i--)
        {
            pending.Push(segments[i]);
        }
    }
}
