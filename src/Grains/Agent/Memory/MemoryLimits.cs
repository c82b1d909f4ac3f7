namespace OpenClaw.Grains.Agent.Memory;

/// <summary>Bounds of the memory tools (the reference's <c>memoryGetMaxChars</c> and line window, and the search's scan budget).</summary>
internal static class MemoryLimits
{
    /// <summary>Characters one <c>memory_get</c> excerpt returns at most.</summary>
    public const int GetMaxChars = 12_000;

    /// <summary>Lines one <c>memory_get</c> returns when the call does not say.</summary>
    public const int GetDefaultLines = 120;

    /// <summary>Lines one <c>memory_get</c> may ask for.</summary>
    public const int GetMaxLines = 2_000;

    /// <summary>Memory files one search reads at most (MEMORY.md and USER.md first, then memory/ breadth first).</summary>
    public const int SearchMaxFiles = 200;

    /// <summary>Directories under memory/ one search lists at most, and how deep it goes.</summary>
    public const int SearchMaxDirectories = 100;

    public const int SearchMaxDepth = 8;

    /// <summary>Bytes (UTF-8) of memory text one search reads at most; files past it are not read.</summary>
    public const long SearchMaxBytes = 4 * 1024 * 1024;

    public const int SearchDefaultResults = 6;
    public const int SearchMaxResults = 20;
    public const int SearchMaxQueryChars = 1_000;
    public const int SearchMaxTerms = 16;

    /// <summary>A passage (what a result points at) spans at most this many lines and characters.</summary>
    public const int PassageMaxLines = 12;
    public const int PassageMaxChars = 1_500;

    /// <summary>Characters of a passage shown as a result's snippet.</summary>
    public const int SnippetMaxChars = 700;
}
