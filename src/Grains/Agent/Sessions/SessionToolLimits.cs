namespace OpenClaw.Grains.Agent.Sessions;

/// <summary>Bounds of the session tools: page sizes, message sizes, and how many runs a run may start.</summary>
internal static class SessionToolLimits
{
    public const int ListDefaultLimit = 20;
    public const int ListMaxLimit = 100;

    /// <summary>Messages per session <c>sessions_list</c> may include (<c>messageLimit</c>).</summary>
    public const int ListMaxMessages = 20;

    public const int HistoryDefaultLimit = 20;
    public const int HistoryMaxLimit = 200;

    /// <summary>Characters of one message's text shown by the session tools (longer ones are cut, as <c>chat.history</c>'s <c>maxChars</c> does).</summary>
    public const int MaxMessageTextChars = 8_000;

    /// <summary>The longest message <c>sessions_send</c> sends (the tenant's own prompt limit applies too).</summary>
    public const int SendMaxMessageChars = 32_000;

    /// <summary><c>sessions_send</c> calls one run may make.</summary>
    public const int SendMaxPerRun = 5;

    /// <summary>How far a chain of runs started by <c>sessions_send</c> may go (a run started by a run started by a user's run is depth 2).</summary>
    public const int SendMaxDepth = 3;

    /// <summary><c>sessions_send</c> calls a tenant may make per minute, over all its runs.</summary>
    public const int SendMaxPerMinute = 30;

    /// <summary>The longest <c>timeoutSeconds</c> a call may wait for the answer.</summary>
    public const int SendMaxWaitSeconds = 300;

    public const int SendDefaultWaitSeconds = 30;

    /// <summary>Characters of the answer returned by a waiting <c>sessions_send</c>.</summary>
    public const int SendMaxReplyChars = 20_000;
}
