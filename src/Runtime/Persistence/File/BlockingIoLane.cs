using System.Threading.Channels;

namespace OpenClaw.Runtime;

/// <summary>
/// A few dedicated threads for blocking file-system calls that have no asynchronous form
/// (fsync of a file or a directory). Running them on thread-pool threads would starve the pool
/// that every grain turn and socket needs: a busy silo would then stall on disk latency.
/// </summary>
internal sealed class BlockingIoLane
{
    private readonly Channel<WorkItem> _queue = Channel.CreateUnbounded<WorkItem>(new UnboundedChannelOptions { SingleWriter = false });

    public BlockingIoLane(int threads, string name)
    {
        for (var i = 0; i < threads; i++)
            new Thread(Drain) { IsBackground = true, Name = $"{name}-{i}" }.Start();
    }

    /// <summary>Runs <paramref name="action"/> on a lane thread; the task completes with its outcome.</summary>
    public Task RunAsync(Action action)
    {
        var item = new WorkItem(action);
        if (!_queue.Writer.TryWrite(item)) throw new InvalidOperationException("The I/O lane is closed.");
        return item.Completion.Task;
    }

    private void Drain()
    {
        while (true)
        {
            var item = _queue.Reader.ReadAsync().AsTask().GetAwaiter().GetResult();
            try
            {
                item.Action();
                item.Completion.TrySetResult();
            }
            catch (Exception ex)
            {
                item.Completion.TrySetException(ex);
            }
        }
    }

    private sealed record WorkItem(Action Action)
    {
        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
