using System.Diagnostics;

namespace OpenClaw.Runtime;

/// <summary>
/// A unit of work addressed to an activation: a call (with or without a waiting caller) or a
/// timer tick. The activation runs <see cref="Invoke"/> as a turn and reports the outcome
/// through <see cref="Complete"/>; a message that is never run is ended with <see cref="Fail"/>.
/// </summary>
internal abstract class GrainMessage(GrainId target, bool interleave, long deadlineTimestamp)
{
    public GrainId Target { get; } = target;

    /// <summary>May run while another turn of the activation is in progress.</summary>
    public bool Interleave { get; } = interleave;

    /// <summary><see cref="TimeProvider.GetTimestamp"/> after which the caller gives up; 0 = never.</summary>
    public long DeadlineTimestamp { get; } = deadlineTimestamp;

    /// <summary>Whether receiving this message counts as activity (timer ticks usually do not).</summary>
    public virtual bool CountsAsActivity => true;

    /// <summary>True once the caller has its answer (or gave up): a queued message that is already completed is skipped.</summary>
    public abstract bool IsCompleted { get; }

    /// <summary>The call this message carries (null for runtime work such as timer ticks, which filters do not see).</summary>
    public virtual GrainRequest? Request => null;

    /// <summary>How many times silos have passed this message on (bounded by <see cref="ClusterOptions.MaxForwardCount"/>).</summary>
    public int ForwardCount { get; set; }

    /// <summary>No answer is expected.</summary>
    public virtual bool IsOneWay => false;

    /// <summary>
    /// The trace the call belongs to: the caller's current span when it was made (in process), or
    /// the <c>traceparent</c> its request frame carried. Default (no trace) when nothing was traced.
    /// </summary>
    public ActivityContext TraceParent { get; set; }

    /// <summary>Ends the message with the answer another process sent for it (it was sent or forwarded there).</summary>
    public virtual void CompleteRemote(RemoteResponse response) =>
        Fail(response.Status == ResponseStatus.Ok
            ? new InvalidOperationException($"{Describe()} cannot take a remote answer.")
            : RemoteExceptionCodec.Read(response.Body.Span));

    public abstract Task Invoke(object target);

    public abstract void Complete(Task turn);

    public abstract void Fail(Exception exception);

    public abstract string Describe();
}

/// <summary>A call whose caller awaits a <typeparamref name="TResult"/>.</summary>
internal sealed class PendingCall<TResult>(GrainId target, GrainRequest<TResult> request, bool interleave, long deadlineTimestamp)
    : GrainMessage(target, interleave, deadlineTimestamp)
{
    // Continuations run inline when the caller is outside any activation (see Complete): a
    // thread-pool hop per call would halve throughput. Grain callers captured their own
    // synchronization context, so their continuations are posted to their activation anyway.
    private readonly TaskCompletionSource<TResult> _completion = new();
    private CancellationTokenSource? _calleeCancellation;
    private CancellationTokenRegistration _callerRegistration;

    public Task<TResult> Task => _completion.Task;

    /// <summary>Remembers the caller's span, so the callee's span joins its trace (one async-local read).</summary>
    public void CaptureTraceParent()
    {
        if (Activity.Current is { } current) TraceParent = current.Context;
    }

    /// <summary>
    /// Links the caller's token (<see cref="GrainRequest.CallerCancellation"/>) to the call: when
    /// it is cancelled the caller stops waiting at once, a call still queued is skipped, and a
    /// running one sees <see cref="GrainRequest.CalleeCancellation"/> cancelled. Returns false
    /// (and ends the call) when the token is already cancelled: the call must not be sent.
    /// </summary>
    public bool BindCancellation()
    {
        var token = request.CallerCancellation;
        if (!token.CanBeCanceled) return true;
        if (token.IsCancellationRequested)
        {
            _completion.TrySetCanceled(token);
            return false;
        }
        _calleeCancellation = new CancellationTokenSource();
        request.CalleeCancellation = _calleeCancellation.Token;
        _callerRegistration = token.UnsafeRegister(static s => ((PendingCall<TResult>)s!).OnCallerCancelled(), this);
        return true;
    }

    private void OnCallerCancelled()
    {
        _completion.TrySetCanceled(request.CallerCancellation);
        try
        {
            _calleeCancellation!.Cancel();
        }
        catch (AggregateException)
        {
            // A callback the grain registered on its token threw; the grain's own turn reports its failures.
        }
    }

    private void ReleaseCancellation()
    {
        // Unregister, not Dispose: Dispose would wait for a callback running on another thread.
        if (_calleeCancellation is not null) _callerRegistration.Unregister();
    }

    public override GrainRequest Request => request;

    public override bool IsCompleted => _completion.Task.IsCompleted;

    public override Task Invoke(object target) => request.Invoke(target);

    public override void Complete(Task turn)
    {
        ReleaseCancellation();
        // Leave the activation's context while the caller's continuation may run inline, so
        // caller code never runs as part of the callee's turn.
        var context = SynchronizationContext.Current;
        if (context is not null) SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            if (turn.IsCompletedSuccessfully)
            {
                TResult result;
                try { result = GrainCopier.Copy(request.GetResult(turn)); }
                catch (Exception ex) { _completion.TrySetException(ex); return; }
                _completion.TrySetResult(result);
            }
            else if (turn.IsCanceled) _completion.TrySetCanceled();
            else _completion.TrySetException(Unwrap(turn.Exception!));
        }
        finally
        {
            if (context is not null) SynchronizationContext.SetSynchronizationContext(context);
        }
    }

    public override void Fail(Exception exception)
    {
        ReleaseCancellation();
        var context = SynchronizationContext.Current;
        if (context is not null) SynchronizationContext.SetSynchronizationContext(null);
        try { _completion.TrySetException(exception); }
        finally { if (context is not null) SynchronizationContext.SetSynchronizationContext(context); }
    }

    public override void CompleteRemote(RemoteResponse response)
    {
        ReleaseCancellation();
        if (response.Status != ResponseStatus.Ok)
        {
            _completion.TrySetException(RemoteExceptionCodec.Read(response.Body.Span));
            return;
        }
        TResult result;
        try { result = GrainRequest<TResult>.ReadResult(response.Body.Span); }
        catch (Exception ex) { _completion.TrySetException(ex); return; }
        _completion.TrySetResult(result);
    }

    public override string Describe() => request.ToString();

    private static Exception Unwrap(AggregateException exception) =>
        exception.InnerExceptions.Count == 1 ? exception.InnerExceptions[0] : exception;
}

/// <summary>A one-way call: nobody waits; failures are only logged.</summary>
internal sealed class OneWayCall(GrainId target, GrainRequest request, bool interleave, Action<GrainMessage, Exception>? onFailure)
    : GrainMessage(target, interleave, 0)
{
    private int _completed;

    /// <summary>Remembers the caller's span, so the callee's span joins its trace.</summary>
    public void CaptureTraceParent()
    {
        if (Activity.Current is { } current) TraceParent = current.Context;
    }

    public override bool IsCompleted => Volatile.Read(ref _completed) != 0;

    public override GrainRequest Request => request;

    public override bool IsOneWay => true;

    public override Task Invoke(object target) => request.Invoke(target);

    public override void Complete(Task turn)
    {
        Volatile.Write(ref _completed, 1);
        if (turn.IsFaulted) onFailure?.Invoke(this, turn.Exception!.GetBaseException());
    }

    public override void Fail(Exception exception)
    {
        if (Interlocked.Exchange(ref _completed, 1) == 0) onFailure?.Invoke(this, exception);
    }

    public override string Describe() => request.ToString();
}
