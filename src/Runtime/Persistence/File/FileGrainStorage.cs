using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace OpenClaw.Runtime;

/// <summary>
/// The embedded, zero-setup grain storage: one file per (grain type, grain key, state name) under
/// <see cref="FileGrainStorageOptions.RootDirectory"/>. Writes go to a temporary file that is
/// flushed to disk and then renamed over the old one, so a crash leaves either the old or the new
/// record, never a mix. The ETag lives in the file's header; checking and replacing it happens under
/// a per-key lock shared by every instance in the process. A damaged file raises
/// <see cref="GrainStorageCorruptedException"/> and is never replaced by a fresh state silently;
/// it is logged once (Error) and remembered by size and modification time, so the calls that keep
/// arriving for that grain fail after one <c>stat</c>, without reading, hashing or logging the file
/// again, until an operator restores or moves it. Files are created 0600 in 0700 directories.
/// </summary>
public sealed class FileGrainStorage : IGrainStorage
{
    private static readonly StripedAsyncLock Locks = new(256);

    /// <summary>Shared by every file storage of the process: fsyncs block, so they never run on the thread pool.</summary>
    private static readonly BlockingIoLane FlushLane = new(threads: 4, name: "grain-storage-fsync");

    /// <summary>Bounds <see cref="_corrupted"/>; past it, further damaged files are read (and logged) on every access.</summary>
    private const int MaxRememberedCorruptions = 10_000;

    private readonly ConcurrentDictionary<string, KnownCorruption> _corrupted = new(StringComparer.Ordinal);

    private readonly string _name;
    private readonly string _rootDirectory;
    private readonly ILogger _logger;

    public FileGrainStorage(string name, FileGrainStorageOptions options, ILogger<FileGrainStorage>? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate() is { } error)
        {
            throw new ArgumentException($"File grain storage '{name}': {error}", nameof(options));
        }

        _name = name;
        _rootDirectory = Path.GetFullPath(options.RootDirectory);
        _logger = logger ?? NullLogger<FileGrainStorage>.Instance;
        OwnerOnlyPaths.CreateDirectory(_rootDirectory);
        FileGrainStorageLog.Started(_logger, _name, _rootDirectory);
    }

    public string RootDirectory => _rootDirectory;

    public async Task<StoredGrainState?> ReadAsync(GrainStateKey key, CancellationToken cancellationToken)
    {
        GrainStateKeyValidation.Validate(key);
        var file = GrainStateFilePaths.Resolve(_rootDirectory, key);
        using (await Locks.AcquireAsync(file.LockHash, cancellationToken).ConfigureAwait(false))
        {
            return await ReadFileAsync(file, key, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task<int> WriteAsync(GrainStateKey key, ReadOnlyMemory<byte> data, int expectedEtag, CancellationToken cancellationToken) =>
        ReplaceAsync(key, data, tombstone: false, expectedEtag, "write", cancellationToken);

    public Task<int> ClearAsync(GrainStateKey key, int expectedEtag, CancellationToken cancellationToken) =>
        ReplaceAsync(key, ReadOnlyMemory<byte>.Empty, tombstone: true, expectedEtag, "clear", cancellationToken);

    private async Task<int> ReplaceAsync(GrainStateKey key, ReadOnlyMemory<byte> data, bool tombstone, int expectedEtag, string operation, CancellationToken cancellationToken)
    {
        GrainStateKeyValidation.Validate(key);
        GrainStateKeyValidation.ValidateExpectedEtag(expectedEtag);
        var file = GrainStateFilePaths.Resolve(_rootDirectory, key);
        using (await Locks.AcquireAsync(file.LockHash, cancellationToken).ConfigureAwait(false))
        {
            var stored = await ReadFileAsync(file, key, cancellationToken).ConfigureAwait(false);
            var storedEtag = stored?.Etag ?? 0;
            if (storedEtag != expectedEtag)
            {
                FileGrainStorageLog.StaleEtag(_logger, _name, operation, key, expectedEtag, storedEtag);
                throw GrainStorageConflicts.Stale(_name, key, operation, storedEtag, expectedEtag);
            }

            var newEtag = GrainStorageConflicts.Next(storedEtag);
            var header = GrainStateFileFormat.EncodeHeader(key, newEtag, data.Span, tombstone);
            await ReplaceFileAsync(file, header, data, cancellationToken).ConfigureAwait(false);
            return newEtag;
        }
    }

    private async Task<StoredGrainState?> ReadFileAsync(GrainStateFilePath file, GrainStateKey key, CancellationToken cancellationToken)
    {
        var identity = new FileInfo(file.FullPath);
        if (_corrupted.TryGetValue(file.FullPath, out var known))
        {
            if (known.Matches(identity))
            {
                throw new GrainStorageCorruptedException(known.Message, file.FullPath);
            }

            _corrupted.TryRemove(file.FullPath, out _); // restored, replaced or moved aside: read it again
        }

        byte[] content;
        try
        {
            content = await File.ReadAllBytesAsync(file.FullPath, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        try
        {
            return GrainStateFileFormat.Decode(file.FullPath, key, content);
        }
        catch (GrainStorageCorruptedException e)
        {
            FileGrainStorageLog.Corrupted(_logger, _name, key, e.Message);
            if (identity.Exists && _corrupted.Count < MaxRememberedCorruptions)
            {
                _corrupted[file.FullPath] = new KnownCorruption(identity.Length, identity.LastWriteTimeUtc, e.Message);
            }

            throw;
        }
    }

    /// <summary>Writes a temporary file next to the target, flushes it to disk, then renames it over the target.</summary>
    private async Task ReplaceFileAsync(GrainStateFilePath file, byte[] header, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var newDirectory = !Directory.Exists(file.Directory);
        OwnerOnlyPaths.CreateDirectory(file.Directory);
        var tempPath = $"{file.FullPath}.{Guid.NewGuid():N}{GrainStateFilePaths.TempExtension}";
        try
        {
            var stream = new FileStream(tempPath, OwnerOnlyPaths.ForNewFile(new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                Options = FileOptions.Asynchronous,
                PreallocationSize = header.Length + data.Length,
            }));
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(header, cancellationToken).ConfigureAwait(false);
                await stream.WriteAsync(data, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                await FlushLane.RunAsync(() => stream.Flush(flushToDisk: true)).ConfigureAwait(false);
            }

            // Past this point the write is committed; it is not cancelled any more.
            File.Move(tempPath, file.FullPath, overwrite: true);
        }
        catch
        {
            DeleteTempFile(tempPath);
            throw;
        }

        await FlushLane.RunAsync(() =>
        {
            FlushDirectory(file.Directory);
            if (newDirectory)
            {
                FlushDirectory(_rootDirectory);
            }
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// Makes the rename durable. The write already happened, so a failure here is logged, not
    /// thrown: failing the call would leave the caller with an ETag that no longer matches.
    /// </summary>
    private void FlushDirectory(string directory)
    {
        try
        {
            DirectoryFlush.Flush(directory);
        }
        catch (Exception e) when (e is IOException or DllNotFoundException or EntryPointNotFoundException)
        {
            FileGrainStorageLog.DirectoryNotFlushed(_logger, e, _name, directory);
        }
    }

    private void DeleteTempFile(string tempPath)
    {
        try
        {
            File.Delete(tempPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            FileGrainStorageLog.TempFileNotDeleted(_logger, e, _name, tempPath);
        }
    }

    /// <summary>A damaged file as it was when it was found damaged; a different size or time means someone changed it.</summary>
    private sealed record KnownCorruption(long Length, DateTime LastWriteTimeUtc, string Message)
    {
        public bool Matches(FileInfo file)
        {
            file.Refresh();
            return file.Exists && file.Length == Length && file.LastWriteTimeUtc == LastWriteTimeUtc;
        }
    }
}
