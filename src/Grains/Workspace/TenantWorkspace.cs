using System.Text;
using OpenClaw.Runtime;

namespace OpenClaw.Grains.Workspace;

/// <summary>
/// One tenant's files: a private overlay directory on top of the shared read-only template.
/// Reads take the tenant's copy when it has one and fall through to the template otherwise;
/// writes and deletes touch only the overlay. Every path is relative, uses <c>/</c>, and is
/// confined to the corresponding root, symbolic links included (see <see cref="WorkspacePathException"/>).
/// The overlay's files are created 0600 and its directories 0700 (tenant data, private to the silo's user).
/// </summary>
public sealed partial class TenantWorkspace
{
    private const string TempFilePrefix = ".~tmp-";
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    private readonly long _maxFileBytes;

    public TenantWorkspace(string tenantRoot, string? templateRoot)
        : this(tenantRoot, templateRoot, WorkspaceOptions.DefaultMaxFileBytes)
    {
    }

    public TenantWorkspace(string tenantRoot, string? templateRoot, long maxFileBytes)
        : this(tenantRoot, templateRoot, maxFileBytes, WorkspaceQuota.Default)
    {
    }

    public TenantWorkspace(string tenantRoot, string? templateRoot, long maxFileBytes, WorkspaceQuota quota)
    {
        ArgumentNullException.ThrowIfNull(quota);
        Quota = quota;
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantRoot);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxFileBytes, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxFileBytes, WorkspaceOptions.MaxAllowedFileBytes);
        TenantRoot = Path.GetFullPath(tenantRoot);
        TemplateRoot = string.IsNullOrWhiteSpace(templateRoot) ? null : Path.GetFullPath(templateRoot);
        _maxFileBytes = maxFileBytes;
    }

    /// <summary>The tenant's overlay directory (created on the first write).</summary>
    public string TenantRoot { get; }

    /// <summary>The shared template directory, or null when there is none.</summary>
    public string? TemplateRoot { get; }

    /// <summary>The tenant's copy of the file, else the template's, else null.</summary>
    public async Task<string?> ReadTextAsync(string relativePath, CancellationToken ct)
    {
        var path = Resolve(relativePath, allowRoot: false);
        var text = await TryReadAsync(path.Overlay, path.Relative, ct).ConfigureAwait(false);
        if (text is null && path.Template is not null && !IsWhitedOut(path))
        {
            text = await TryReadAsync(path.Template, path.Relative, ct).ConfigureAwait(false);
        }

        return text;
    }

    /// <summary>Writes the file to the tenant's overlay (atomically, creating directories as needed).</summary>
    public async Task WriteTextAsync(string relativePath, string content, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(content);
        var path = Resolve(relativePath, allowRoot: false);
        var bytes = Utf8NoBom.GetBytes(content);
        if (bytes.Length > _maxFileBytes)
        {
            throw TooLarge(path.Relative, bytes.Length);
        }

        if (Directory.Exists(path.Overlay) || (path.Template is not null && Directory.Exists(path.Template)))
        {
            throw new WorkspacePathException($"'{path.Relative}' is a directory.");
        }

        var previousBytes = OverlayFileBytes(path.Overlay);
        var whiteout = WhiteoutPath(path);
        var hadWhiteout = whiteout is not null && File.Exists(whiteout);
        EnsureQuota(path.Relative, previousBytes, bytes.Length, hadWhiteout);
        var directory = Path.GetDirectoryName(path.Overlay)!;
        OwnerOnlyPaths.CreateDirectory(directory);
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
                await stream.WriteAsync(bytes, ct).ConfigureAwait(false);
                await stream.FlushAsync(ct).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path.Overlay, overwrite: true);
            RecordWrite(previousBytes, bytes.Length);
            if (hadWhiteout)
            {
                TryDelete(whiteout!);
                RecordDelete(0);
            }
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Deletes the tenant's copy of the file; the template's copy, if any, shows through again.</summary>
    public Task<bool> DeleteAsync(string relativePath, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var path = Resolve(relativePath, allowRoot: false);
        if (!File.Exists(path.Overlay))
        {
            return Task.FromResult(false);
        }

        var previousBytes = OverlayFileBytes(path.Overlay);
        try
        {
            File.Delete(path.Overlay);
        }
        catch (DirectoryNotFoundException)
        {
            return Task.FromResult(false);
        }

        RecordDelete(previousBytes);
        return Task.FromResult(true);
    }

    /// <summary>
    /// The entries (files and sub-directories, not recursive) of a directory in the overlay and
    /// the template together, as workspace-relative paths with <c>/</c>, sorted. <c>""</c> lists the root.
    /// </summary>
    public IReadOnlyList<string> List(string relativeDirectory)
    {
        var path = Resolve(relativeDirectory, allowRoot: true);
        var names = new SortedSet<string>(StringComparer.Ordinal);
        AddEntries(names, path.Overlay, TenantRoot);
        if (path.Template is not null)
        {
            var templateNames = new SortedSet<string>(StringComparer.Ordinal);
            AddEntries(templateNames, path.Template, TemplateRoot!);
            foreach (var name in templateNames)
            {
                if (names.Contains(name) || !File.Exists(Path.Join(path.Overlay, WhiteoutPrefix + name)))
                {
                    names.Add(name);
                }
            }
        }

        var prefix = path.Relative.Length == 0 ? "" : path.Relative + "/";
        return names.Select(name => prefix + name).ToArray();
    }

    /// <summary>True when the overlay or the template has a file or directory at the path.</summary>
    public bool Exists(string relativePath)
    {
        var path = Resolve(relativePath, allowRoot: true);
        return File.Exists(path.Overlay) || Directory.Exists(path.Overlay)
            || (path.Template is not null && !IsWhitedOut(path) && (File.Exists(path.Template) || Directory.Exists(path.Template)));
    }

    private ResolvedPath Resolve(string relativePath, bool allowRoot)
    {
        var segments = WorkspacePaths.Split(relativePath, allowRoot);
        var relative = string.Join('/', segments);
        var overlay = Confine(TenantRoot, segments, relative, "workspace");
        var template = TemplateRoot is null ? null : Confine(TemplateRoot, segments, relative, "template");
        return new ResolvedPath(relative, overlay, template);
    }

    /// <summary>The real path of <paramref name="segments"/> under <paramref name="root"/>; throws when a symbolic link leads outside it.</summary>
    private static string Confine(string root, string[] segments, string relative, string rootKind)
    {
        var realRoot = RealPath.Resolve(root);
        var candidate = segments.Length == 0 ? root : Path.Join(root, Path.Join(segments));
        var real = RealPath.Resolve(candidate);
        if (!RealPath.IsWithin(real, realRoot))
        {
            throw new WorkspacePathException($"'{relative}' leads outside the tenant's {rootKind} through a symbolic link.");
        }

        return real;
    }

    private async Task<string?> TryReadAsync(string fullPath, string relative, CancellationToken ct)
    {
        if (!File.Exists(fullPath))
        {
            return null;
        }

        FileStream stream;
        try
        {
            stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 4096, FileOptions.Asynchronous);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null; // deleted since the check
        }

        await using (stream.ConfigureAwait(false))
        {
            if (stream.Length > _maxFileBytes)
            {
                throw TooLarge(relative, stream.Length);
            }

            // Read at most one byte past the limit: the file may grow while it is read.
            var buffer = new byte[Math.Min(stream.Length, _maxFileBytes) + 1];
            var total = 0;
            while (total < buffer.Length)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(total), ct).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                total += read;
                if (total == buffer.Length && total <= _maxFileBytes)
                {
                    Array.Resize(ref buffer, (int)Math.Min(buffer.Length * 2L, _maxFileBytes + 1));
                }
            }

            if (total > _maxFileBytes)
            {
                throw TooLarge(relative, total);
            }

            var span = buffer.AsSpan(0, total);
            if (span.StartsWith(Utf8NoBom.Preamble))
            {
                span = span[Utf8NoBom.Preamble.Length..];
            }

            return Utf8NoBom.GetString(span);
        }
    }

    private static void AddEntries(SortedSet<string> names, string directory, string root)
    {
        if (!Directory.Exists(directory))
        {
            return;
        }

        var options = new EnumerationOptions
        {
            RecurseSubdirectories = false,
            IgnoreInaccessible = true,
            AttributesToSkip = 0,
            ReturnSpecialDirectories = false,
        };
        var realRoot = RealPath.Resolve(root);
        foreach (var entry in Directory.EnumerateFileSystemEntries(directory, "*", options))
        {
            var name = Path.GetFileName(entry);
            if (name.StartsWith(WorkspacePaths.ReservedPrefix, StringComparison.Ordinal) || !WorkspacePaths.IsValidSegment(name, out _))
            {
                continue;
            }

            // An entry that is a symbolic link out of the root is not part of the workspace.
            if (new FileInfo(entry).LinkTarget is not null && !RealPath.IsWithin(RealPath.Resolve(entry), realRoot))
            {
                continue;
            }

            names.Add(name);
        }
    }

    private WorkspaceFileTooLargeException TooLarge(string relative, long size) =>
        new($"'{relative}' is {size} bytes; workspace files may be at most {_maxFileBytes} bytes.", size, _maxFileBytes);

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    internal sealed record ResolvedPath(string Relative, string Overlay, string? Template);
}
