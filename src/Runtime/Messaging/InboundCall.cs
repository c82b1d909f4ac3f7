using System.Text.Json;

namespace OpenClaw.Runtime;

/// <summary>
/// A call that arrived on a cluster connection. It runs like any other message; its answer (the
/// result, the exception, or the answer of the silo it was forwarded to) goes back as a response
/// frame on the connection it came on. A cancel frame, or the connection closing, ends it at once:
/// it is skipped if it has not started and its token is cancelled if it has.
/// </summary>
internal sealed class InboundCall : GrainMessage
{
    private readonly GrainRequest _request;
    private readonly ClusterConnection _origin;
    private readonly long _correlationId;
    private readonly bool _oneWay;
    private readonly SiloAddress? _self;
    private readonly CancellationTokenSource? _cancellation;
    private int _finished;

    public InboundCall(GrainId target, GrainRequest request, RequestFlags flags, int forwardCount, long deadlineTimestamp,
        ClusterConnection origin, long correlationId, SiloAddress? self)
        : base(target, (flags & RequestFlags.Interleave) != 0, deadlineTimestamp)
    {
        _request = request;
        _origin = origin;
        _correlationId = correlationId;
        _oneWay = (flags & RequestFlags.OneWay) != 0;
        _self = self;
        ForwardCount = forwardCount;
        PlacedHere = (flags & RequestFlags.PlacedHere) != 0;
        if (request.AcceptsCancellation)
        {
            _cancellation = new CancellationTokenSource();
            request.CalleeCancellation = _cancellation.Token;
        }
    }

    /// <summary>The sender's placement chose this silo.</summary>
    public bool PlacedHere { get; }

    public long CorrelationId => _correlationId;

    public override GrainRequest Request => _request;

    public override bool IsOneWay => _oneWay;

    public override bool IsCompleted => Volatile.Read(ref _finished) != 0;

    public override Task Invoke(object target) => _request.Invoke(target);

    public override void Complete(Task turn)
    {
        if (!TryFinish() || _oneWay) return;
        if (turn.IsCompletedSuccessfully)
        {
            OutboundFrame frame;
            try
            {
                frame = ClusterFrames.Response(_correlationId, ResponseStatus.Ok, _self, (_request, turn), static (w, s) => s._request.WriteResult(w, s.turn));
            }
            catch (Exception ex)
            {
                SendException(ex);
                return;
            }
            _origin.Send(frame);
        }
        else
        {
            SendException(turn.IsCanceled ? new OperationCanceledException($"{_request} was cancelled.") : Unwrap(turn.Exception!));
        }
    }

    public override void Fail(Exception exception)
    {
        if (!TryFinish() || _oneWay) return;
        SendException(exception);
    }

    public override void CompleteRemote(RemoteResponse response)
    {
        if (!TryFinish() || _oneWay) return;
        _origin.Send(ClusterFrames.RelayedResponse(_correlationId, response));
    }

    /// <summary>The caller gave up (cancel frame) or its connection closed: skip if queued, cancel if running.</summary>
    public void Cancel()
    {
        if (Interlocked.Exchange(ref _finished, 1) != 0) return;
        try
        {
            _cancellation?.Cancel();
        }
        catch (AggregateException)
        {
            // a callback the grain registered threw; the grain's turn reports its own failures
        }
    }

    public override string Describe() => _request.ToString();

    private bool TryFinish()
    {
        if (Interlocked.Exchange(ref _finished, 1) != 0) return false;
        _origin.InboundCalls.TryRemove(_correlationId, out _);
        return true;
    }

    private void SendException(Exception exception) =>
        _origin.Send(ClusterFrames.Response(_correlationId, ResponseStatus.Exception, _self, exception, static (w, e) => RemoteExceptionCodec.Write(w, e)));

    private static Exception Unwrap(AggregateException exception) =>
        exception.InnerExceptions.Count == 1 ? exception.InnerExceptions[0] : exception;
}
