using System.Text;

namespace OpenClaw.Grains.Gateway;

/// <summary>A transcript chunk in memory: consecutive messages kept in one record, and whether it changed since written.</summary>
internal sealed class TranscriptChunk(int slot)
{
    /// <summary>Bytes of a stored message besides its text (ids, role, timestamps, usage, JSON).</summary>
    private const int MessageOverheadBytes = 320;

    public int Slot { get; } = slot;

    public List<TranscriptMessage> Messages { get; } = [];

    /// <summary>About what the chunk takes stored.</summary>
    public long Bytes { get; private set; }

    public ChangeMark Mark { get; } = new();

    public long FirstSeq => Messages.Count == 0 ? long.MaxValue : Messages[0].Seq;

    public long LastSeq => Messages.Count == 0 ? long.MinValue : Messages[^1].Seq;

    public static long EstimateBytes(TranscriptMessage message) =>
        Encoding.UTF8.GetByteCount(message.Text) + MessageOverheadBytes;

    public void Add(TranscriptMessage message)
    {
        Messages.Add(message);
        Bytes += EstimateBytes(message);
        Mark.Touch();
    }

    /// <summary>A chunk as stored (unchanged since).</summary>
    public static TranscriptChunk Load(int slot, TranscriptChunkRecord record)
    {
        var chunk = new TranscriptChunk(slot);
        foreach (var message in record.Messages.OrderBy(message => message.Seq))
        {
            chunk.Messages.Add(message);
            chunk.Bytes += EstimateBytes(message);
        }

        return chunk;
    }

    public TranscriptChunkRecord ToRecord() => new() { Messages = [.. Messages] };
}
