namespace OpenClaw.Grains.Workspace;

/// <summary>
/// Turns a path a tenant named into validated segments. Separators are <c>/</c> (a <c>\</c> counts
/// as one too); empty and <c>.</c> segments are dropped. Rejected: absolute, drive and UNC forms,
/// <c>..</c>, NUL, control characters, the characters Windows forbids (<c>&lt;&gt;:"|?*</c>) and
/// names ending in a dot or a space (which Windows would silently alias).
/// </summary>
internal static class WorkspacePaths
{
    public const int MaxPathLength = 1024;
    public const int MaxSegmentLength = 255;

    /// <summary>Names starting with this are the workspace's own bookkeeping (temporary files, deletion markers); tenants cannot name them.</summary>
    public const string ReservedPrefix = ".~";

    private static readonly char[] ForbiddenCharacters = ['<', '>', ':', '"', '|', '?', '*'];

    /// <summary>The segments of <paramref name="relativePath"/>; none for the root when <paramref name="allowRoot"/>.</summary>
    public static string[] Split(string? relativePath, bool allowRoot)
    {
        if (relativePath is null)
        {
            throw new WorkspacePathException("A workspace path is required.");
        }

        if (relativePath.Length > MaxPathLength)
        {
            throw new WorkspacePathException($"The workspace path is longer than {MaxPathLength} characters.");
        }

        var normalized = relativePath.Replace('\\', '/');
        if (normalized.StartsWith('/'))
        {
            throw new WorkspacePathException($"'{Printable(relativePath)}' is an absolute path; workspace paths are relative to the workspace.");
        }

        if (normalized.Length >= 2 && char.IsAsciiLetter(normalized[0]) && normalized[1] == ':')
        {
            throw new WorkspacePathException($"'{Printable(relativePath)}' names a drive; workspace paths are relative to the workspace.");
        }

        var segments = new List<string>();
        foreach (var segment in normalized.Split('/'))
        {
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                throw new WorkspacePathException($"'{Printable(relativePath)}' contains '..'; paths may not leave the workspace.");
            }

            if (!IsValidSegment(segment, out var problem))
            {
                throw new WorkspacePathException($"'{Printable(relativePath)}' is not a valid workspace path: {problem}.");
            }

            segments.Add(segment);
        }

        if (segments.Count == 0 && !allowRoot)
        {
            throw new WorkspacePathException("The workspace path is empty; name a file.");
        }

        return [.. segments];
    }

    /// <summary>True when <paramref name="name"/> may be one segment of a workspace path.</summary>
    public static bool IsValidSegment(string name, out string problem)
    {
        if (name.Length == 0 || name == "." || name == "..")
        {
            problem = "empty, '.' or '..' name";
            return false;
        }

        if (name.Length > MaxSegmentLength)
        {
            problem = $"a name is longer than {MaxSegmentLength} characters";
            return false;
        }

        foreach (var c in name)
        {
            if (c == '\0')
            {
                problem = "it contains a NUL character";
                return false;
            }

            if (char.IsControl(c))
            {
                problem = "it contains a control character";
                return false;
            }

            if (Array.IndexOf(ForbiddenCharacters, c) >= 0 || c == '/' || c == '\\')
            {
                problem = $"it contains '{c}'";
                return false;
            }
        }

        if (name.StartsWith(ReservedPrefix, StringComparison.Ordinal))
        {
            problem = $"names starting with '{ReservedPrefix}' are reserved";
            return false;
        }

        if (name.EndsWith('.') || name.EndsWith(' '))
        {
            problem = "a name ends with a dot or a space";
            return false;
        }

        problem = "";
        return true;
    }

    /// <summary>The path as it may appear in an error message (control characters escaped).</summary>
    public static string Printable(string path)
    {
        var shown = path.Length > 200 ? path[..200] + "…" : path;
        return string.Create(shown.Length, shown, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? '?' : source[i];
            }
        });
    }
}
