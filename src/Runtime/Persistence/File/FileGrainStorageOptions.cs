namespace OpenClaw.Runtime;

/// <summary>Options of <see cref="FileGrainStorage"/>.</summary>
public sealed class FileGrainStorageOptions
{
    /// <summary>
    /// The directory that holds the state files; created when missing. A relative path is resolved
    /// against the current directory when the provider starts. One silo process must own it: the
    /// ETag checks are atomic within a process, not across processes sharing the directory.
    /// </summary>
    public string RootDirectory { get; set; } = string.Empty;

    /// <summary>Returns why these options cannot be used, or null when they are valid.</summary>
    public string? Validate()
    {
        if (string.IsNullOrWhiteSpace(RootDirectory))
        {
            return $"{nameof(FileGrainStorageOptions)}.{nameof(RootDirectory)} is empty: set it to the directory where grain state files are kept.";
        }

        try
        {
            _ = Path.GetFullPath(RootDirectory);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return $"{nameof(FileGrainStorageOptions)}.{nameof(RootDirectory)} '{RootDirectory}' is not a usable path: {e.Message}";
        }

        return null;
    }
}
