namespace OpenClaw.Runtime;

/// <summary>One call travelling through the incoming filter chain to the grain method.</summary>
internal sealed class IncomingGrainCallContext(IIncomingGrainCallFilter[] filters, GrainMessage message, GrainRequest request, object grain)
    : IIncomingGrainCallContext
{
    private int _next;

    public GrainId TargetId => message.Target;
    public string InterfaceName => request.InterfaceName;
    public string MethodName => request.MethodName;
    public object Grain => grain;

    /// <summary>The grain method's own task (it carries the result), once the last filter called it.</summary>
    public Task? MethodTask { get; private set; }

    public Task Invoke()
    {
        if (_next < filters.Length) return filters[_next++].Invoke(this);
        if (MethodTask is not null) throw new InvalidOperationException("A call filter invoked the grain method twice.");
        MethodTask = message.Invoke(grain);
        return MethodTask;
    }

    /// <summary>The task whose outcome the caller gets: the method's when the chain succeeded, else the chain's.</summary>
    public Task Outcome(Task chain) =>
        !chain.IsCompletedSuccessfully ? chain
        : MethodTask ?? Task.FromException(new InvalidOperationException($"A call filter completed {request} without invoking the grain method."));
}
