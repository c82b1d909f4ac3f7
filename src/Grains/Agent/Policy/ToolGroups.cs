namespace OpenClaw.Grains.Agent.Policy;

/// <summary>
/// The named tool groups and profiles of OpenClaw's tool policy (AGENT.md §2). <c>group:fs</c> also
/// holds <c>ls</c> here: it only lists what <c>read</c> can already read.
/// </summary>
internal static class ToolGroups
{
    public static readonly IReadOnlyDictionary<string, string[]> Groups = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
    {
        ["group:fs"] = ["read", "write", "edit", "apply_patch", "ls"],
        ["group:runtime"] = ["exec", "bash", "process", "code_execution"],
        ["group:web"] = ["web_search", "x_search", "web_fetch"],
        ["group:memory"] = ["memory_search", "memory_get"],
        ["group:sessions"] = ["sessions", "sessions_list", "sessions_history", "sessions_search", "sessions_send", "sessions_spawn", "sessions_yield", "session_status", "subagents", "agents_list", "agents_wait"],
        ["group:automation"] = ["heartbeat_respond", "automations", "cron", "gateway", "plugins", "openclaw"],
        ["group:nodes"] = ["nodes", "computer"],
        ["group:messaging"] = ["message"],
        ["group:ui"] = ["browser", "screen", "theme", "dashboard", "terminal", "portal", "canvas", "show_widget"],
        ["group:media"] = ["view_image", "image_generate", "music_generate", "video_generate", "tts", "pdf"],
    };

    public static readonly IReadOnlyList<string> ProfileNames = ["minimal", "coding", "messaging", "full"];

    /// <summary>The patterns a profile allows; null for <c>full</c> (no filtering).</summary>
    public static IReadOnlyList<string>? Profile(string profile) => profile.ToLowerInvariant() switch
    {
        "minimal" => ["session_status"],
        "coding" => ["group:fs", "group:runtime", "group:web", "group:sessions", "group:memory", "cron", "automations", "ask_user", "progress_card", "get_goal", "create_goal", "update_goal", "group:media"],
        "messaging" => ["group:messaging", "sessions_list", "sessions_history", "sessions_send", "session_status", "ask_user"],
        _ => null,
    };
}
