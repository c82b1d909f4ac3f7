namespace OpenClaw.Grains.Tenants;

/// <summary>Where the embedded tenant store keeps its file.</summary>
public sealed class FileTenantStoreOptions
{
    public const string DefaultFileName = "tenants.json";

    /// <summary>The directory of the store's file (created when missing).</summary>
    public string Directory { get; set; } = "";

    /// <summary>The file's name inside <see cref="Directory"/>.</summary>
    public string FileName { get; set; } = DefaultFileName;
}
