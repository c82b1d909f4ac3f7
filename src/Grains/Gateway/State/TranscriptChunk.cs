using System.Text;

namespace OpenClaw.Grains.Gateway;

/// <summary>
/// A transcript chunk in memory: consecutive messages, and whether they changed since written.
/// The newest chunk of a session is kept inline in the session's head (<see cref="Slot"/> null);
/// once full it is sealed into a record of its own (<c>transcript/&lt;session&gt;/&lt;slot&gt;</c>).
/// </summary>
internal sealed class TranscriptChunk(int? slot)
{
    /// <summary>Bytes of a stored message besides its text (ids, role, timestamps, usage, JSON).</summary>
    private const int MessageOverheadBytes = 320;

    /// <summary>The chunk record's slot; null while the chunk is the head's inline tail.</summary>
    public int? Slot { get; private set; } = slot;

    public bool IsInline => Slot is null;

    public List<TranscriptMessage> Messages { get; } = [];

    /// <summary>About what the chunk takes stored.</summary>
    public long Bytes { get; private set; }

    public ChangeMark Mark { get; } = new();

    public long FirstSeq => Messages.Count == 0 ? long.MaxValue : Messages[0].Seq;

    public long LastSeq => Messages.Count == 0 ? long.MinValue : Messages[^1].Seq;

    public static long EstimateBytes(TranscriptMessage message)
    {
        long bytes = Encoding.UTF8.GetByteCount(message.Text) + MessageOverheadBytes;
        if (message.ToolCalls is { } calls)
        {
            foreach (var call in calls)
            {
                bytes += Encoding.UTF8.GetByteCount(call.ArgumentsJson) + call.Id.Length + call.Name.Length + 64;
            }
        }

        if (message.DetailsJson is { } details)
        {
            bytes += Encoding.UTF8.GetByteCount(details);
        }

        return bytes + (message.ToolCallId?.Length ?? 0) + (message.ToolName?.Length ?? 0);
    }

    public void Add(TranscriptMessage message)
    {
        Messages.Add(message);
        Bytes += EstimateBytes(message);
        Mark.Touch();
    }

    /// <summary>A chunk as stored (unchanged since).</summary>
    public static TranscriptChunk Load(int? slot, IEnumerable<TranscriptMessage> messages)
    {
        var chunk = new TranscriptChunk(slot);
        foreach (var message in messages.OrderBy(message => message.Seq))
        {
            chunk.Messages.Add(message);
            chunk.Bytes += EstimateBytes(message);
        }

        return chunk;
    }

    /// <summary>Moves the inline tail into a record of its own at <paramref name="chunkSlot"/> (written at the next save).</summary>
    public void Seal(int chunkSlot)
    {
        Slot = chunkSlot;
        Mark.Touch();
    }

    public TranscriptChunkRecord ToRecord() => new() { Messages = [.. Messages] };
}
