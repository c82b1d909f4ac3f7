namespace OpenClaw.Grains.Agent.Tools.Files;

/// <summary>Bounds of the workspace file tools (the per-file size and the overlay quota are the workspace's own).</summary>
internal static class FileToolLimits
{
    /// <summary>Lines <c>read</c> returns by default (the reference's truncation).</summary>
    public const int ReadMaxLines = 2000;

    /// <summary>UTF-8 bytes <c>read</c> returns at most per call (the reference's 50 KB).</summary>
    public const int ReadMaxBytes = 51_200;

    /// <summary>Entries <c>ls</c> returns by default, and the most it returns per page.</summary>
    public const int ListDefaultLimit = 500;
    public const int ListMaxLimit = 2000;

    /// <summary>Replacements one <c>edit</c> call may make.</summary>
    public const int MaxEdits = 100;

    /// <summary>Characters of one <c>apply_patch</c> input.</summary>
    public const int MaxPatchChars = 2 * 1024 * 1024;

    /// <summary>Files one <c>apply_patch</c> may touch.</summary>
    public const int MaxPatchFiles = 100;

    /// <summary>Characters of the <c>diff</c> and <c>patch</c> shown in a result's details.</summary>
    public const int MaxDiffChars = 20_000;

    /// <summary>Line pairs beyond which a changed region is shown as removed-then-added instead of a minimal diff.</summary>
    public const long MaxDiffCells = 1_000_000;
}
