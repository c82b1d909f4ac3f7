namespace OpenClaw.Grains.Gateway;

/// <summary>One tool call of a run while it executes: what its events report.</summary>
internal sealed class ToolCallState(string id, string name, string argumentsJson, long startedAt)
{
    /// <summary>Tools whose calls run commands (the reference marks their events <c>commandBearing</c>).</summary>
    private static readonly HashSet<string> CommandTools = new(StringComparer.Ordinal) { "exec", "bash", "process" };

    public string Id { get; } = id;

    public string Name { get; } = name;

    public string ArgumentsJson { get; } = argumentsJson;

    public long StartedAt { get; } = startedAt;

    public long? EndedAt { get; set; }

    public string? Meta { get; set; }

    public bool Failed { get; set; }

    public bool CommandBearing => CommandTools.Contains(Name);

    /// <summary>When the last update event went out (a <see cref="TimeProvider"/> timestamp).</summary>
    public long? LastUpdateAt { get; set; }

    /// <summary>Set when the call has returned: later updates from the tool are dropped.</summary>
    public bool Finished { get; set; }
}
