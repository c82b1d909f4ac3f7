namespace OpenClaw.Grains.Agent.Prompt;

/// <summary>The workspace bootstrap files, in prompt order (<c>CONTEXT_FILE_ORDER</c>), and which a kind of session gets.</summary>
internal static class BootstrapFiles
{
    public const string Agents = "AGENTS.md";
    public const string Soul = "SOUL.md";
    public const string Identity = "IDENTITY.md";
    public const string User = "USER.md";
    public const string Bootstrap = "BOOTSTRAP.md";
    public const string Memory = "MEMORY.md";

    public static readonly IReadOnlyList<string> Ordered = [Agents, Soul, Identity, User, Bootstrap, Memory];

    /// <summary>Files whose absence is shown as <c>[MISSING]</c>; the others are left out silently when absent.</summary>
    public static bool IsRequired(string name) => name is Agents or Soul or Identity;

    public static IReadOnlyList<string> For(PromptSessionKind kind) => kind switch
    {
        PromptSessionKind.Subagent => [Agents],
        PromptSessionKind.Cron => [Agents, Soul, Identity, User],
        PromptSessionKind.Group => [Agents, Soul, Identity, User, Bootstrap],
        _ => Ordered,
    };
}
