namespace OpenClaw.Runtime.Tests.TestGrains;

/// <summary>
/// What the ticks of a <see cref="GatedTimerGrain"/> did, per grain key (shared by every
/// activation of that key): how many started, how many ran at once, and a gate per tick that the
/// test opens, so a tick can be held open across clock advances.
/// </summary>
public sealed class TimerProbe
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, TimerProbe> ByKey = new();

    private readonly Lock _lock = new();
    private readonly Dictionary<(string Kind, int Tick), TaskCompletionSource> _signals = [];
    private int _ticks;
    private int _concurrent;
    private int _maxConcurrent;
    private bool _releasedAll;

    public static TimerProbe Of(string key) => ByKey.GetOrAdd(key, _ => new TimerProbe());

    public int Ticks { get { lock (_lock) return _ticks; } }

    public int MaxConcurrent { get { lock (_lock) return _maxConcurrent; } }

    /// <summary>Completes when tick number <paramref name="tick"/> (1-based) has started.</summary>
    public Task Entered(int tick) => Signal("entered", tick).Task;

    /// <summary>Completes when tick number <paramref name="tick"/> has left its callback.</summary>
    public Task Exited(int tick) => Signal("exited", tick).Task;

    /// <summary>Lets tick number <paramref name="tick"/> finish.</summary>
    public void Release(int tick) => Signal("released", tick).TrySetResult();

    /// <summary>Opens every gate, present and future (so a failing test can still stop its silo).</summary>
    public void ReleaseAll()
    {
        List<TaskCompletionSource> gates;
        lock (_lock)
        {
            _releasedAll = true;
            gates = [.. _signals.Where(s => s.Key.Kind == "released").Select(s => s.Value)];
        }
        foreach (var gate in gates) gate.TrySetResult();
    }

    /// <summary>Called by the tick: its number and the gate it waits for.</summary>
    public (int Tick, Task Gate) Enter()
    {
        int tick;
        lock (_lock)
        {
            tick = ++_ticks;
            _maxConcurrent = Math.Max(_maxConcurrent, ++_concurrent);
        }
        Signal("entered", tick).TrySetResult();
        var gate = Signal("released", tick);
        lock (_lock) if (_releasedAll) gate.TrySetResult();
        return (tick, gate.Task);
    }

    public void Exit(int tick)
    {
        lock (_lock) _concurrent--;
        Signal("exited", tick).TrySetResult();
    }

    private TaskCompletionSource Signal(string kind, int tick)
    {
        lock (_lock)
        {
            if (!_signals.TryGetValue((kind, tick), out var signal))
                _signals[(kind, tick)] = signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return signal;
        }
    }
}
