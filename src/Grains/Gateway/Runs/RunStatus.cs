namespace OpenClaw.Grains.Gateway;

/// <summary>How a run ended.</summary>
internal enum RunStatus
{
    /// <summary>The model finished its answer.</summary>
    Ok,

    /// <summary>The provider failed (or the run hit its timeout).</summary>
    Error,

    /// <summary><c>chat.abort</c>, a session reset/delete, or the activation shutting down.</summary>
    Aborted,
}
