using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace OpenClaw.Runtime;

/// <summary>
/// Observer objects registered in this process with <see cref="IGrainFactory.CreateObjectReference{TObserver}"/>.
/// Calls to one observer are delivered in order, one at a time, on the thread pool (never on
/// the calling grain's turn). A call to an observer that was deleted fails with
/// <see cref="ObserverNotFoundException"/> — for one-way calls synchronously, so a grain's
/// <see cref="GrainObserverManager{TObserver}"/> drops it at once.
/// </summary>
internal sealed class LocalObserverRegistry(ILogger<LocalObserverRegistry> logger)
{
    private readonly ConcurrentDictionary<string, ObserverMailbox> _observers = new(StringComparer.Ordinal);

    public int Count => _observers.Count;

    /// <summary>
    /// The process that hosts this registry's observers, the first part of their keys
    /// (<c>owner/id</c>): in a cluster the silo address or client id, so that a grain on any silo
    /// can send the call back to this process. Set at startup, before any observer is registered.
    /// </summary>
    public string OwnerId { get; set; } = "local";

    /// <summary>The owning process of an observer key.</summary>
    public static string OwnerOf(GrainId observer)
    {
        var slash = observer.Key.LastIndexOf('/');
        return slash > 0 ? observer.Key[..slash] : "";
    }

    public bool IsLocal(GrainId observer) => string.Equals(OwnerOf(observer), OwnerId, StringComparison.Ordinal);

    public GrainId Register(IGrainObserver observer)
    {
        var id = new GrainId(GrainId.ObserverType, $"{OwnerId}/{Guid.NewGuid():N}");
        _observers[id.Key] = new ObserverMailbox(observer, logger);
        return id;
    }

    public bool Unregister(GrainId id) => _observers.TryRemove(id.Key, out _);

    public void Deliver(GrainMessage message)
    {
        if (!_observers.TryGetValue(message.Target.Key, out var mailbox))
        {
            var error = new ObserverNotFoundException($"Observer {message.Target.Key} is gone (deleted or its client disconnected).");
            if (message is OneWayCall) throw error;
            message.Fail(error);
            return;
        }
        mailbox.Enqueue(message);
    }

    private sealed class ObserverMailbox(IGrainObserver observer, ILogger logger) : IThreadPoolWorkItem
    {
        private readonly Queue<GrainMessage> _queue = new();
        private bool _scheduled;

        public void Enqueue(GrainMessage message)
        {
            lock (_queue)
            {
                _queue.Enqueue(message);
                if (_scheduled) return;
                _scheduled = true;
            }
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }

        public void Execute()
        {
            while (true)
            {
                GrainMessage message;
                lock (_queue)
                {
                    if (_queue.Count == 0)
                    {
                        _scheduled = false;
                        return;
                    }
                    message = _queue.Dequeue();
                }
                Task call;
                try { call = message.Invoke(observer); }
                catch (Exception ex) { call = Task.FromException(ex); }
                if (!call.IsCompleted)
                {
                    // Keep order: continue with the next message only when this one is done.
                    call.ContinueWith(static (t, s) =>
                    {
                        var (mailbox, m) = ((ObserverMailbox, GrainMessage))s!;
                        mailbox.Finish(m, t);
                        mailbox.Execute();
                    }, (this, message), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
                    return;
                }
                Finish(message, call);
            }
        }

        private void Finish(GrainMessage message, Task call)
        {
            if (call.IsFaulted) RuntimeLog.ObserverCallFailed(logger, message.Describe(), call.Exception!.GetBaseException());
            message.Complete(call);
        }
    }
}
