namespace OpenClaw.Grains.Gateway.Cron;

/// <summary>
/// Heartbeat answers that mean "nothing to report": <c>NO_REPLY</c>, or the legacy <c>HEARTBEAT_OK</c>
/// at the start or end of a reply with at most 300 other characters. They are not announced (no chat
/// message, nothing appended to the transcript).
/// </summary>
internal static class HeartbeatReply
{
    public const string NoReply = "NO_REPLY";
    public const string LegacyOk = "HEARTBEAT_OK";
    private const int MaxRemainingChars = 300;

    public static bool IsSilent(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0 || trimmed == NoReply)
        {
            return true;
        }

        if (trimmed.StartsWith(LegacyOk, StringComparison.Ordinal))
        {
            return trimmed.Length - LegacyOk.Length <= MaxRemainingChars;
        }

        return trimmed.EndsWith(LegacyOk, StringComparison.Ordinal) && trimmed.Length - LegacyOk.Length <= MaxRemainingChars;
    }

    /// <summary>The outcome of a heartbeat run with a silent answer dropped (other runs and answers unchanged).</summary>
    public static RunOutcome Suppress(ChatRun run, RunOutcome outcome) =>
        run.IsHeartbeat && outcome.Text.Length > 0 && IsSilent(outcome.Text) ? outcome with { Text = "" } : outcome;
}
