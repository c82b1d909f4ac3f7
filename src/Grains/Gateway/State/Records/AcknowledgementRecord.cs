namespace OpenClaw.Grains.Gateway;

/// <summary>The first answer to a <c>chat.send</c> or <c>agent</c> with an idempotency key, kept until <see cref="ExpiresAt"/>.</summary>
public sealed class AcknowledgementRecord
{
    public string Method { get; set; } = "";

    public string IdempotencyKey { get; set; } = "";

    /// <summary>The JSON payload of the answer.</summary>
    public string Payload { get; set; } = "";

    /// <summary>Epoch milliseconds.</summary>
    public long ExpiresAt { get; set; }
}

/// <summary>A segment of the acknowledgement log (state <c>acks/&lt;slot&gt;</c>); the segment with the highest sequence is the newest.</summary>
public sealed class AcknowledgementSegmentRecord
{
    public long Sequence { get; set; }

    public List<AcknowledgementRecord> Entries { get; set; } = [];
}
