using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OpenClaw.Runtime;

/// <summary>
/// The in-silo message path: a call through a reference becomes a message to the local catalog
/// (or to a local observer). A remote router implements the same interface over the network.
/// </summary>
internal sealed class LocalGrainCallRouter : IGrainCallRouter
{
    private readonly Catalog _catalog;
    private readonly LocalObserverRegistry _observers;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly long _timeoutTicks;
    private readonly Action<GrainMessage, Exception> _oneWayFailed;

    public LocalGrainCallRouter(
        Catalog catalog,
        LocalObserverRegistry observers,
        GrainTypeRegistry types,
        IOptions<GrainRuntimeOptions> options,
        TimeProvider time,
        ILogger<LocalGrainCallRouter> logger)
    {
        _catalog = catalog;
        _observers = observers;
        _time = time;
        _logger = logger;
        _timeoutTicks = (long)(options.Value.ResponseTimeout.TotalSeconds * time.TimestampFrequency);
        _oneWayFailed = (message, error) => RuntimeLog.OneWayCallFailed(_logger, message.Describe(), message.Target, error);
        GrainFactory = new GrainFactory(this, types, observers);
    }

    public IGrainFactory GrainFactory { get; }

    public Task<TResult> InvokeAsync<TResult>(GrainReference target, GrainRequest<TResult> request)
    {
        var call = new PendingCall<TResult>(
            target.GrainId, request, (request.Flags & InvokeFlags.AlwaysInterleave) != 0, _time.GetTimestamp() + _timeoutTicks);
        call.CaptureTraceParent();
        if (!call.BindCancellation()) return call.Task;
        if (target.GrainId.IsObserver) _observers.Deliver(call);
        else _catalog.Dispatch(call);
        return call.Task;
    }

    public void InvokeOneWay(GrainReference target, GrainRequest request)
    {
        var call = new OneWayCall(target.GrainId, request, (request.Flags & InvokeFlags.AlwaysInterleave) != 0, _oneWayFailed);
        call.CaptureTraceParent();
        if (target.GrainId.IsObserver) _observers.Deliver(call);
        else _catalog.Dispatch(call);
    }
}
