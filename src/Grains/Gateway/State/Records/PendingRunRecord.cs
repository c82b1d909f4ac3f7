namespace OpenClaw.Grains.Gateway;

/// <summary>
/// A run that was acknowledged and has not ended yet (state <c>run/&lt;slot&gt;</c>), written
/// before <c>chat.send</c> or <c>agent</c> answers: the prompt and the answer given, so that after a
/// crash the prompt is recorded (with a marker saying the run was interrupted) and a retry of the
/// same idempotency key gets the same answer instead of a second run.
/// </summary>
public sealed class PendingRunRecord
{
    /// <summary>The run id, which is also the idempotency key.</summary>
    public string RunId { get; set; } = "";

    /// <summary>The method that accepted the run (<c>chat.send</c> or <c>agent</c>).</summary>
    public string Method { get; set; } = "";

    public string SessionKey { get; set; } = "";

    public string Prompt { get; set; } = "";

    public long AcceptedAt { get; set; }

    public string? ClientId { get; set; }

    public string? ClientMode { get; set; }

    /// <summary>The JSON payload of the acknowledgement.</summary>
    public string Acknowledgement { get; set; } = "";
}
