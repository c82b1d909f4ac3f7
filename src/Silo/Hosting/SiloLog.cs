namespace OpenClaw.Silo;

internal static partial class SiloLog
{
    [LoggerMessage(2001, LogLevel.Information, "{Count} tenants provisioned from configuration")]
    public static partial void TenantsSeeded(ILogger logger, int count);

    [LoggerMessage(2002, LogLevel.Information, "Storage: {Provider} ({Location})")]
    public static partial void StorageSelected(ILogger logger, string provider, string location);

    [LoggerMessage(2003, LogLevel.Information, "OpenClaw gateway listening on {Url}")]
    public static partial void Listening(ILogger logger, string url);

    [LoggerMessage(2004, LogLevel.Information, "Returned memory to the operating system: the GC had {BeforeMegabytes} MB committed and ran no full collection of its own; {AfterMegabytes} MB after a full collection")]
    public static partial void MemoryReclaimed(ILogger logger, long beforeMegabytes, long afterMegabytes);

    [LoggerMessage(2005, LogLevel.Information, "A full collection returned little memory ({BeforeMegabytes} MB committed, {AfterMegabytes} MB after): it is in use; next check in {NextCheckSeconds} s")]
    public static partial void MemoryInUse(ILogger logger, long beforeMegabytes, long afterMegabytes, long nextCheckSeconds);

    [LoggerMessage(2006, LogLevel.Warning, "Could not make {Path} private to its owner (it holds tenant data): {Problem}")]
    public static partial void NotRestricted(ILogger logger, string path, string problem);
}
