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
