namespace OpenClaw.Grains.Gateway;

/// <summary>The result of a finished run, kept for a while for <c>agent.wait</c> and the final <c>agent</c> response.</summary>
internal sealed record RunOutcome
{
    public required string RunId { get; init; }

    public required string SessionKey { get; init; }

    public required string SessionId { get; init; }

    public required RunStatus Status { get; init; }

    /// <summary>The assistant's text (partial when aborted).</summary>
    public string Text { get; init; } = "";

    public string? StopReason { get; init; }

    /// <summary>Tenant-facing error text (never contains the API key).</summary>
    public string? ErrorMessage { get; init; }

    /// <summary><c>provider</c>, <c>timeout</c> or <c>internal</c> for errors.</summary>
    public string? ErrorKind { get; init; }

    public int InputTokens { get; init; }

    public int OutputTokens { get; init; }

    public string? Provider { get; init; }

    public string? Model { get; init; }

    public long AcceptedAt { get; init; }

    public long? StartedAt { get; init; }

    public long EndedAt { get; init; }
}
