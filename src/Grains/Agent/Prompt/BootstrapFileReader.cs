using System.Runtime.CompilerServices;
using OpenClaw.Grains.Workspace;

namespace OpenClaw.Grains.Agent.Prompt;

/// <summary>
/// Reads bootstrap files for the prompt, cached per workspace instance (one per activation) and
/// re-read whenever the file's fingerprint changed (the tenant may edit them with <c>write</c>).
/// </summary>
internal static class BootstrapFileReader
{
    private static readonly ConditionalWeakTable<TenantWorkspace, Dictionary<string, (string Fingerprint, BootstrapFile File)>> Caches = new();

    public static async Task<BootstrapFile> ReadAsync(TenantWorkspace workspace, string name, CancellationToken ct)
    {
        var cache = Caches.GetValue(workspace, static _ => new Dictionary<string, (string, BootstrapFile)>(StringComparer.Ordinal));
        string? fingerprint;
        try
        {
            fingerprint = workspace.Fingerprint(name);
        }
        catch (WorkspacePathException)
        {
            return BootstrapFile.Unreadable(name, "the path leads outside the workspace");
        }

        if (fingerprint is null)
        {
            cache.Remove(name);
            return BootstrapFile.Missing(name);
        }

        if (cache.TryGetValue(name, out var cached) && cached.Fingerprint == fingerprint)
        {
            return cached.File;
        }

        BootstrapFile file;
        try
        {
            var text = await workspace.ReadTextAsync(name, ct);
            file = text is null ? BootstrapFile.Missing(name) : BootstrapFile.Present(name, text);
        }
        catch (WorkspaceFileTooLargeException exception)
        {
            file = BootstrapFile.Unreadable(name, $"the file is {exception.ActualBytes} bytes, more than the {exception.LimitBytes} allowed");
        }
        catch (WorkspacePathException)
        {
            file = BootstrapFile.Unreadable(name, "the path leads outside the workspace");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            file = BootstrapFile.Unreadable(name, "the file could not be read");
        }

        cache[name] = (fingerprint, file);
        return file;
    }
}

/// <summary>A bootstrap file as read: its text, or that it is missing or unreadable (with a reason safe to show).</summary>
internal sealed record BootstrapFile(string Name, string? Text, string? UnreadableReason)
{
    public bool Exists => Text is not null || UnreadableReason is not null;

    public static BootstrapFile Present(string name, string text) => new(name, text, null);

    public static BootstrapFile Missing(string name) => new(name, null, null);

    public static BootstrapFile Unreadable(string name, string reason) => new(name, null, reason);
}
