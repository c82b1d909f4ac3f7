namespace OpenClaw.Grains.Gateway;

/// <summary>
/// One session slot (state <c>session/&lt;slot&gt;</c>): the session's fields without its
/// transcript, and which chunk records hold the transcript. A slot whose <see cref="Session"/> is
/// null is free. Written whenever the session changes, so it stays small: O(1) in the transcript.
/// </summary>
public sealed class SessionHeadRecord
{
    public SessionRecord? Session { get; set; }

    /// <summary>Chunk slots holding the transcript (<c>transcript/&lt;slot&gt;/&lt;chunk&gt;</c>), oldest first.</summary>
    public List<int> Chunks { get; set; } = [];

    /// <summary>Chunk slots no longer used, to clear (trimmed, or the transcript of a reset or deleted session).</summary>
    public List<int> Garbage { get; set; } = [];
}
