namespace OpenClaw.Runtime;

/// <summary>A wake-up flag a loop waits on: <see cref="Set"/> wakes the waiter (or the next wait), <see cref="Reset"/> re-arms it.</summary>
internal sealed class AsyncSignal
{
    private TaskCompletionSource _source = New();

    public void Set() => Volatile.Read(ref _source).TrySetResult();

    public Task WaitAsync(CancellationToken cancellationToken) => Volatile.Read(ref _source).Task.WaitAsync(cancellationToken);

    /// <summary>Call before doing the work the signal asked for, so a signal during the work is kept.</summary>
    public void Reset()
    {
        var current = Volatile.Read(ref _source);
        if (current.Task.IsCompleted) Interlocked.CompareExchange(ref _source, New(), current);
    }

    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
