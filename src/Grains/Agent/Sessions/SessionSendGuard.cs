using System.Runtime.CompilerServices;
using OpenClaw.Grains.Gateway;

namespace OpenClaw.Grains.Agent.Sessions;

/// <summary>
/// Keeps <c>sessions_send</c> from multiplying runs: per run a call budget and the depth of the
/// chain of runs that started it, per tenant a rate over the last minute. One per activation,
/// used on its turns only. What it knows of a run lives as long as the run object.
/// </summary>
internal sealed class SessionSendGuard(TimeProvider time)
{
    private readonly ConditionalWeakTable<ChatRun, RunState> _runs = new();
    private readonly Queue<long> _recent = new();

    /// <summary>Null when <paramref name="run"/> may send one more message now; else why not. Counts the send when allowed.</summary>
    public string? TryReserve(ChatRun run)
    {
        var state = _runs.GetOrCreateValue(run);
        if (state.Depth >= SessionToolLimits.SendMaxDepth)
        {
            return $"this run was itself started by sessions_send {state.Depth} levels deep; runs that deep may not start more (at most {SessionToolLimits.SendMaxDepth})";
        }

        if (state.Sends >= SessionToolLimits.SendMaxPerRun)
        {
            return $"this run has already sent {state.Sends} messages with sessions_send (at most {SessionToolLimits.SendMaxPerRun} per run)";
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        while (_recent.Count > 0 && now - _recent.Peek() >= 60_000)
        {
            _recent.Dequeue();
        }

        if (_recent.Count >= SessionToolLimits.SendMaxPerMinute)
        {
            return $"this tenant's runs have sent {_recent.Count} messages with sessions_send in the last minute (at most {SessionToolLimits.SendMaxPerMinute}); try again later";
        }

        _recent.Enqueue(now);
        state.Sends++;
        return null;
    }

    /// <summary>Records that <paramref name="started"/> was started by <paramref name="parent"/> (one level deeper).</summary>
    public void Started(ChatRun parent, ChatRun started) =>
        _runs.GetOrCreateValue(started).Depth = _runs.GetOrCreateValue(parent).Depth + 1;

    public int DepthOf(ChatRun run) => _runs.TryGetValue(run, out var state) ? state.Depth : 0;

    private sealed class RunState
    {
        public int Sends { get; set; }

        public int Depth { get; set; }
    }
}
