namespace OpenClaw.Grains.Gateway;

/// <summary>A piece of a session's transcript (state <c>transcript/&lt;slot&gt;/&lt;chunk&gt;</c>): consecutive messages, oldest first.</summary>
public sealed class TranscriptChunkRecord
{
    public List<TranscriptMessage> Messages { get; set; } = [];
}
