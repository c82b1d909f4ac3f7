namespace OpenClaw.Runtime;

/// <summary>
/// A stored record could not be read back: it is damaged, truncated, or belongs to another grain.
/// Providers never silently reset such a record; an operator has to look at <see cref="Location"/>.
/// </summary>
public sealed class GrainStorageCorruptedException(string message, string location, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>The file, table row or other place that holds the damaged record.</summary>
    public string Location { get; } = location;
}
