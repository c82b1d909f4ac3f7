namespace OpenClaw.Grains.Gateway;

/// <summary>A tool call of a stored assistant message: its id, the tool's name and the arguments as the model sent them (JSON text).</summary>
public sealed record TranscriptToolCall
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    public string ArgumentsJson { get; set; } = "{}";
}
