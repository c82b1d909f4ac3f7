using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.Archive;

/// <summary>
/// What the grain accepts in an archive, whoever calls it (the admin API applies its own, tighter
/// limits to the uploaded file first): bounded counts and sizes, valid record names and contents,
/// canonical workspace paths, no duplicates. Checked before anything is written.
/// </summary>
internal static class TenantArchiveRules
{
    public const int MaxRecords = 50_000;
    public const int MaxFiles = 10_000;
    public const long MaxFileBytes = 16L * 1024 * 1024;

    public static string? Problem(TenantStateArchive? archive)
    {
        if (archive is null)
        {
            return "the archive is missing";
        }

        if (archive.Format != TenantStateArchive.CurrentFormat)
        {
            return $"archive format {archive.Format} is not supported (this version reads format {TenantStateArchive.CurrentFormat})";
        }

        var records = archive.Records ?? [];
        var files = archive.Files ?? [];
        if (records.Count > MaxRecords)
        {
            return $"the archive holds {records.Count} state records; at most {MaxRecords} are accepted";
        }

        if (files.Count > MaxFiles)
        {
            return $"the archive holds {files.Count} workspace files; at most {MaxFiles} are accepted";
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            if (record is null)
            {
                return "the archive holds an empty state record";
            }

            if (StateRecordKinds.Problem(record.Name, record.Json) is { } problem)
            {
                return problem;
            }

            if (!names.Add(record.Name))
            {
                return $"state record '{record.Name}' appears twice";
            }
        }

        var paths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            if (file is null || file.Content is null)
            {
                return "the archive holds an empty workspace file entry";
            }

            if (WorkspaceOverlayFiles.PathProblem(file.Path) is { } problem)
            {
                return problem;
            }

            if (file.Content.LongLength > MaxFileBytes)
            {
                return $"workspace file '{file.Path}' is {file.Content.LongLength} bytes; at most {MaxFileBytes} are accepted";
            }

            // A file may not also be a directory of another (a/b and a/b/c).
            if (!paths.Add(file.Path))
            {
                return $"workspace file '{file.Path}' appears twice";
            }
        }

        foreach (var path in paths)
        {
            for (var slash = path.IndexOf('/'); slash > 0; slash = path.IndexOf('/', slash + 1))
            {
                if (paths.Contains(path[..slash]))
                {
                    return $"'{path[..slash]}' is both a file and a directory in the archive";
                }
            }
        }

        return null;
    }
}
