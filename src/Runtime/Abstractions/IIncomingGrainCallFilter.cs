namespace OpenClaw.Runtime;

/// <summary>
/// Runs around every call a grain receives (metrics, tracing, the dashboard's call counts).
/// Register with <c>services.AddSingleton&lt;IIncomingGrainCallFilter, T&gt;()</c>; filters run in
/// registration order, inside the grain's turn, and must call <see cref="IIncomingGrainCallContext.Invoke"/>
/// exactly once (or throw) and await it. With no filter registered the call path pays nothing.
/// </summary>
public interface IIncomingGrainCallFilter
{
    Task Invoke(IIncomingGrainCallContext context);
}

public interface IIncomingGrainCallContext
{
    GrainId TargetId { get; }
    string InterfaceName { get; }
    string MethodName { get; }
    object Grain { get; }

    /// <summary>Calls the next filter, or the grain method itself after the last filter.</summary>
    Task Invoke();
}
