namespace OpenClaw.Grains.Gateway;

/// <summary>
/// A session slot in memory: the session it holds (null when free), the chunks of its transcript,
/// and the chunk records no longer used. A message goes into the newest chunk while that chunk
/// has room (<see cref="MaxChunkMessages"/>, <see cref="MaxChunkBytes"/>). The newest chunk lives
/// inline in the head, so appending a message rewrites only the head (bounded by one chunk plus
/// the session's fields); a full chunk is sealed into a record of its own once. Chunk slots are reused.
/// </summary>
internal sealed class SessionSlot(int number)
{
    public const int MaxChunkMessages = 32;
    public const long MaxChunkBytes = 64 * 1024;

    /// <summary>The garbage listed in the head as last written: only those records may be cleared.</summary>
    private List<int> _writtenGarbage = [];

    public int Number { get; } = number;

    public SessionRecord? Session { get; set; }

    /// <summary>Oldest first.</summary>
    public List<TranscriptChunk> Chunks { get; } = [];

    /// <summary>Chunk slots to clear.</summary>
    public List<int> Garbage { get; } = [];

    public ChangeMark Head { get; } = new();

    public void Append(TranscriptMessage message)
    {
        var last = Chunks.Count > 0 ? Chunks[^1] : null;
        var size = TranscriptChunk.EstimateBytes(message);
        if (last is null || last.Messages.Count >= MaxChunkMessages || (last.Messages.Count > 0 && last.Bytes + size > MaxChunkBytes))
        {
            if (last is { IsInline: true })
            {
                last.Seal(FreeChunkSlot());
            }

            last = new TranscriptChunk(slot: null);
            Chunks.Add(last);
        }

        last.Add(message);
        Head.Touch();
    }

    /// <summary>Drops the chunks whose messages all come before <paramref name="firstKeptSeq"/>.</summary>
    public void DropBefore(long firstKeptSeq)
    {
        while (Chunks.Count > 0 && Chunks[0].LastSeq < firstKeptSeq)
        {
            AddGarbage(Chunks[0]);
            Chunks.RemoveAt(0);
            Head.Touch();
        }
    }

    /// <summary>Drops the whole transcript (the session is reset, deleted or replaced).</summary>
    public void DropAll()
    {
        foreach (var chunk in Chunks)
        {
            AddGarbage(chunk);
        }

        Chunks.Clear();
        Head.Touch();
    }

    public SessionHeadRecord ToRecord() => new()
    {
        Session = Session,
        Chunks = [.. Chunks.Where(chunk => !chunk.IsInline).Select(chunk => chunk.Slot!.Value)],
        Tail = Chunks.Count > 0 && Chunks[^1].IsInline ? [.. Chunks[^1].Messages] : [],
        Garbage = [.. Garbage],
    };

    /// <summary>After the head (as serialized) was written: its garbage may now be cleared.</summary>
    public void HeadWritten(SessionHeadRecord written, long version, long tailVersion)
    {
        _writtenGarbage = written.Garbage;
        Head.Written(version);
        if (Chunks.Count > 0 && Chunks[^1].IsInline)
        {
            Chunks[^1].Mark.Written(tailVersion);
        }
    }

    /// <summary>The version of the inline tail about to be written with the head.</summary>
    public long TailVersion() => Chunks.Count > 0 && Chunks[^1].IsInline ? Chunks[^1].Mark.Capture() : 0;

    /// <summary>Loaded from storage: the head's garbage is on disk already.</summary>
    public void Loaded(IEnumerable<int> garbage)
    {
        Garbage.AddRange(garbage.Where(slot => !Garbage.Contains(slot) && Chunks.All(chunk => chunk.Slot != slot)).Distinct());
        _writtenGarbage = [.. Garbage];
    }

    /// <summary>Chunk slots that a written head lists as garbage and that were not reused since.</summary>
    public IReadOnlyList<int> ClearableGarbage() => [.. Garbage.Where(_writtenGarbage.Contains)];

    private void AddGarbage(TranscriptChunk chunk)
    {
        if (chunk.Slot is { } slot && !Garbage.Contains(slot))
        {
            Garbage.Add(slot);
        }
    }

    private int FreeChunkSlot()
    {
        var slot = 0;
        while (Chunks.Any(chunk => chunk.Slot == slot))
        {
            slot++;
        }

        // Overwritten instead of cleared.
        Garbage.Remove(slot);
        return slot;
    }
}
