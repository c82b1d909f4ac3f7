namespace OpenClaw.Grains.Gateway;

/// <summary>
/// One session slot (state <c>session/&lt;slot&gt;</c>): the session's fields without its
/// transcript, which chunk records hold the older transcript, and the newest messages. A slot whose
/// <see cref="Session"/> is null is free. Written whenever the session changes; bounded by one
/// chunk (32 messages or 64 KiB) plus the session's fields, whatever the transcript's length.
/// </summary>
public sealed class SessionHeadRecord
{
    public SessionRecord? Session { get; set; }

    /// <summary>Chunk slots holding the older part of the transcript (<c>transcript/&lt;slot&gt;/&lt;chunk&gt;</c>), oldest first.</summary>
    public List<int> Chunks { get; set; } = [];

    /// <summary>The newest messages (one chunk at most), kept here so that appending a message writes only this record.</summary>
    public List<TranscriptMessage> Tail { get; set; } = [];

    /// <summary>Chunk slots no longer used, to clear (trimmed, or the transcript of a reset or deleted session).</summary>
    public List<int> Garbage { get; set; } = [];
}
