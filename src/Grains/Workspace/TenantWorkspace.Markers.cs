namespace OpenClaw.Grains.Workspace;

/// <summary>
/// Small flags the gateway keeps about a tenant's workspace (for example that its first-run setup
/// is done), as empty files <c>.~mark-&lt;name&gt;</c> at the overlay's root: the reserved prefix keeps
/// them out of the tenant's reach and out of listings.
/// </summary>
public sealed partial class TenantWorkspace
{
    private const string MarkerPrefix = ".~mark-";

    public bool HasMarker(string name) => File.Exists(MarkerPath(name));

    public void SetMarker(string name)
    {
        var path = MarkerPath(name);
        if (File.Exists(path))
        {
            return;
        }

        OwnerOnlyCreate(path);
        RecordWrite(-1, 0);
    }

    public void ClearMarker(string name)
    {
        var path = MarkerPath(name);
        if (File.Exists(path))
        {
            File.Delete(path);
            RecordDelete(0);
        }
    }

    /// <summary>A cheap fingerprint of what the tenant sees at the path (which copy, its size and write time); null when there is no file.</summary>
    public string? Fingerprint(string relativePath)
    {
        var path = Resolve(relativePath, allowRoot: false);
        var overlay = new FileInfo(path.Overlay);
        if (overlay.Exists)
        {
            return $"o:{overlay.Length}:{overlay.LastWriteTimeUtc.Ticks}";
        }

        if (path.Template is null || IsWhitedOut(path))
        {
            return null;
        }

        var template = new FileInfo(path.Template);
        return template.Exists ? $"t:{template.Length}:{template.LastWriteTimeUtc.Ticks}" : null;
    }

    private string MarkerPath(string name)
    {
        if (name.Length is 0 or > 64 || !name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
        {
            throw new ArgumentException("A marker name is lower-case letters, digits and '-'.", nameof(name));
        }

        var realRoot = RealPath.Resolve(TenantRoot);
        return Path.Join(realRoot, MarkerPrefix + name);
    }
}
