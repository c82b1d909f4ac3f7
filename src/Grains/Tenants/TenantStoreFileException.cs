namespace OpenClaw.Grains.Tenants;

/// <summary>
/// The old embedded tenant store file (or the registry database) cannot be used (truncated, not JSON, from a newer version,
/// malformed entries). The message names the file and the way out; the file is never rewritten
/// while it is in this state.
/// </summary>
public sealed class TenantStoreFileException(string filePath, string problem, Exception? inner = null)
    : Exception(
        $"The tenant store file {filePath} {problem.TrimEnd('.')}. Restore it from a backup, or move it aside to start with an empty " +
        "tenant store (every tenant and token in it is then gone: tenants must be created and tokens issued again).",
        inner)
{
    public string FilePath { get; } = filePath;
}
