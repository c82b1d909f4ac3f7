using OpenClaw.Grains.Gateway;

namespace OpenClaw.Grains.Agent.Prompt;

/// <summary>What kind of run a prompt is built for; it decides which bootstrap files it gets (AGENT.md §1).</summary>
internal enum PromptSessionKind
{
    /// <summary>A direct (main or named) session: all files.</summary>
    Direct,

    /// <summary>A group or channel chat: no MEMORY.md (privacy).</summary>
    Group,

    /// <summary>A cron job's session: AGENTS.md, SOUL.md, IDENTITY.md, USER.md only.</summary>
    Cron,

    /// <summary>A sub-agent's session: AGENTS.md only.</summary>
    Subagent,
}

/// <summary>
/// Classifies a run the way OpenClaw does from its session key: <c>…:subagent:…</c>,
/// <c>…:cron:…</c> (or a name starting <c>cron:</c>), and <c>…:group:…</c> / <c>…:channel:…</c>.
/// A heartbeat run is recognised by its run kind's name (<c>Heartbeat</c>), a cron run also by
/// <c>Cron</c>, so that run kinds added later need no change here.
/// </summary>
internal static class PromptSessionClassifier
{
    public static PromptSessionKind Classify(ChatRun run)
    {
        var segments = run.SessionKey.Name.ToLowerInvariant().Split(':');
        if (segments.Contains("subagent"))
        {
            return PromptSessionKind.Subagent;
        }

        if (segments.Contains("cron") || string.Equals(run.Kind.ToString(), "Cron", StringComparison.Ordinal))
        {
            return PromptSessionKind.Cron;
        }

        return segments.Contains("group") || segments.Contains("channel") ? PromptSessionKind.Group : PromptSessionKind.Direct;
    }

    public static bool IsHeartbeat(ChatRun run) => string.Equals(run.Kind.ToString(), "Heartbeat", StringComparison.Ordinal);

    /// <summary>The primary, interactive, user-facing run: the only one that may run the first-run ritual.</summary>
    public static bool IsPrimaryInteractive(ChatRun run) =>
        !IsHeartbeat(run) && Classify(run) is PromptSessionKind.Direct or PromptSessionKind.Group;
}
