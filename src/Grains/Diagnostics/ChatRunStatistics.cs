namespace OpenClaw.Grains.Diagnostics;

/// <summary>The silo's chat-run and provider totals since start, for in-process readers (cluster stats, monitor). Lock-free.</summary>
public sealed class ChatRunStatistics
{
    private long _runs;
    private long _runFailures;
    private long _providerErrors;
    private long _inputTokens;
    private long _outputTokens;

    internal void RunEnded(bool failed)
    {
        Interlocked.Increment(ref _runs);
        if (failed) Interlocked.Increment(ref _runFailures);
    }

    internal void ProviderFailed() => Interlocked.Increment(ref _providerErrors);

    internal void TokensUsed(int input, int output)
    {
        if (input > 0) Interlocked.Add(ref _inputTokens, input);
        if (output > 0) Interlocked.Add(ref _outputTokens, output);
    }

    public ChatRunStatisticsSnapshot Snapshot() => new()
    {
        ChatRunsTotal = Volatile.Read(ref _runs),
        ChatRunsFailedTotal = Volatile.Read(ref _runFailures),
        ProviderErrorsTotal = Volatile.Read(ref _providerErrors),
        InputTokensTotal = Volatile.Read(ref _inputTokens),
        OutputTokensTotal = Volatile.Read(ref _outputTokens),
    };
}

/// <summary>A copy of <see cref="ChatRunStatistics"/>. A run counts once it ended (ok, error or aborted).</summary>
public sealed record ChatRunStatisticsSnapshot
{
    public long ChatRunsTotal { get; init; }

    /// <summary>Runs that did not end ok (errors, timeouts, aborts).</summary>
    public long ChatRunsFailedTotal { get; init; }
    public long ProviderErrorsTotal { get; init; }
    public long InputTokensTotal { get; init; }
    public long OutputTokensTotal { get; init; }
}
