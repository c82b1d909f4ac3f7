using Microsoft.Extensions.Logging;

namespace OpenClaw.Runtime;

internal static partial class FileGrainStorageLog
{
    [LoggerMessage(EventId = 3100, Level = LogLevel.Information, Message = "File grain storage '{StorageName}' keeps grain state under {RootDirectory}")]
    public static partial void Started(ILogger logger, string storageName, string rootDirectory);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "File grain storage '{StorageName}' rejected a stale {Operation} of {GrainStateKey}: expected ETag {ExpectedEtag}, stored ETag {StoredEtag}")]
    public static partial void StaleEtag(ILogger logger, string storageName, string operation, GrainStateKey grainStateKey, int expectedEtag, int storedEtag);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Error, Message = "File grain storage '{StorageName}': {GrainStateKey} fails every call until an operator acts. {Problem} The next call after that reads the file again (README, \"Recovery\"). Logged once per damaged file.")]
    public static partial void Corrupted(ILogger logger, string storageName, GrainStateKey grainStateKey, string problem);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "File grain storage '{StorageName}' could not delete the temporary file {FilePath}")]
    public static partial void TempFileNotDeleted(ILogger logger, Exception exception, string storageName, string filePath);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Warning, Message = "File grain storage '{StorageName}' wrote a state file but could not flush directory {DirectoryPath} to disk; the write may not survive a power loss")]
    public static partial void DirectoryNotFlushed(ILogger logger, Exception exception, string storageName, string directoryPath);
}
