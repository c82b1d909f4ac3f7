using System.Collections.Concurrent;

namespace OpenClaw.Grains.Tests.UserGrainTests;

/// <summary>
/// A single-threaded synchronization context, like a grain activation's: everything posted to
/// it runs one at a time on its own thread, so a run started (not awaited) inside a call keeps
/// running in the background and interleaves with later calls only at await points.
/// </summary>
internal sealed class ActivationContext : SynchronizationContext, IDisposable
{
    private readonly BlockingCollection<(SendOrPostCallback Callback, object? State)> _queue = new();
    private readonly Thread _thread;

    public ActivationContext()
    {
        _thread = new Thread(Pump) { IsBackground = true, Name = "test activation" };
        _thread.Start();
    }

    public override void Post(SendOrPostCallback d, object? state)
    {
        try
        {
            _queue.Add((d, state));
        }
        catch (InvalidOperationException)
        {
            // Disposed: the test is over; background continuations are dropped, as in a deactivated activation.
        }
    }

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("Synchronous sends would deadlock an activation.");

    public Task<T> RunAsync<T>(Func<Task<T>> work)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(async _ =>
        {
            try
            {
                completion.SetResult(await work());
            }
            catch (Exception exception)
            {
                completion.SetException(exception);
            }
        }, null);
        return completion.Task;
    }

    public Task RunAsync(Action work) => RunAsync(() =>
    {
        work();
        return Task.FromResult(true);
    });

    public Task<T> Run<T>(Func<T> work) => RunAsync(() => Task.FromResult(work()));

    public void Dispose() => _queue.CompleteAdding();

    private void Pump()
    {
        SetSynchronizationContext(this);
        foreach (var (callback, state) in _queue.GetConsumingEnumerable())
        {
            callback(state);
        }
    }
}
