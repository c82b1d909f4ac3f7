using System.Globalization;

namespace OpenClaw.Grains.Workspace;

public sealed partial class TenantWorkspace
{
    private WorkspaceUsage? _usage;

    /// <summary>The overlay's limits.</summary>
    public WorkspaceQuota Quota { get; }

    /// <summary>
    /// What the overlay holds now: counted once per instance by walking the overlay (links are not
    /// followed), then kept up to date by this instance's writes and deletes.
    /// </summary>
    public WorkspaceUsage Usage => _usage ??= Measure();

    /// <summary>Forgets the counted usage (after the overlay was changed behind this instance's back, e.g. an archive import).</summary>
    public void InvalidateUsage() => _usage = null;

    /// <summary>
    /// Throws <see cref="WorkspaceQuotaExceededException"/> unless the overlay can take the given
    /// changes together: per file its current overlay size (-1: none) and its new size (-1: removed).
    /// </summary>
    public void EnsureQuota(IEnumerable<(long PreviousBytes, long NewBytes)> changes, string what)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var usage = Usage;
        long bytes = usage.Bytes;
        long files = usage.Files;
        foreach (var (previous, next) in changes)
        {
            bytes += Math.Max(next, 0) - Math.Max(previous, 0);
            files += (next >= 0 ? 1 : 0) - (previous >= 0 ? 1 : 0);
        }

        Refuse(bytes, files, what);
    }

    /// <summary>The size of the overlay's own copy of the file at <paramref name="relativePath"/>, or -1 when it has none.</summary>
    public long OverlayBytes(string relativePath) => OverlayFileBytes(Resolve(relativePath, allowRoot: false).Overlay);

    private void EnsureQuota(string relative, long previousBytes, long newBytes, bool dropsWhiteout)
    {
        var usage = Usage;
        var bytes = usage.Bytes - Math.Max(previousBytes, 0) + newBytes;
        var files = usage.Files + (previousBytes < 0 ? 1 : 0) - (dropsWhiteout ? 1 : 0);
        Refuse(bytes, files, $"writing '{relative}'");
    }

    private void Refuse(long bytes, long files, string what)
    {
        if (bytes > Quota.MaxBytes)
        {
            throw new WorkspaceQuotaExceededException(string.Format(CultureInfo.InvariantCulture,
                "{0} would take the workspace to {1} bytes; it may hold at most {2} bytes (now {3}). Delete files you no longer need; nothing was written.",
                what, bytes, Quota.MaxBytes, Usage.Bytes));
        }

        if (files > Quota.MaxFiles)
        {
            throw new WorkspaceQuotaExceededException(string.Format(CultureInfo.InvariantCulture,
                "{0} would take the workspace to {1} files; it may hold at most {2} files. Delete files you no longer need; nothing was written.",
                what, files, Quota.MaxFiles));
        }
    }

    private void RecordWrite(long previousBytes, long newBytes)
    {
        if (_usage is { } usage)
        {
            _usage = new WorkspaceUsage(usage.Bytes - Math.Max(previousBytes, 0) + newBytes, usage.Files + (previousBytes < 0 ? 1 : 0));
        }
    }

    private void RecordDelete(long previousBytes)
    {
        if (_usage is { } usage && previousBytes >= 0)
        {
            _usage = new WorkspaceUsage(usage.Bytes - previousBytes, usage.Files - 1);
        }
    }

    private static long OverlayFileBytes(string fullPath)
    {
        var info = new FileInfo(fullPath);
        return info.Exists ? info.Length : -1;
    }

    private WorkspaceUsage Measure()
    {
        if (!Directory.Exists(TenantRoot))
        {
            return default;
        }

        // Walked by hand so that links (planted by anyone) are counted, never followed; bounded so a
        // huge overlay cannot stall the tenant: past the limit the quota is exceeded anyway.
        var limit = (long)Quota.MaxFiles * 2 + 1024;
        long bytes = 0;
        var files = 0;
        var pending = new Stack<string>();
        pending.Push(TenantRoot);
        var options = new EnumerationOptions { RecurseSubdirectories = false, IgnoreInaccessible = true, AttributesToSkip = 0 };
        while (pending.TryPop(out var directory) && files < limit)
        {
            foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos("*", options))
            {
                if (entry.LinkTarget is null && entry is DirectoryInfo)
                {
                    pending.Push(entry.FullName);
                    continue;
                }

                if (entry.Name.StartsWith(TempFilePrefix, StringComparison.Ordinal))
                {
                    continue;
                }

                files++;
                if (entry is FileInfo file && entry.LinkTarget is null)
                {
                    bytes += file.Length;
                }
            }
        }

        return new WorkspaceUsage(bytes, files);
    }
}
