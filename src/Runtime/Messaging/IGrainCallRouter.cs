namespace OpenClaw.Runtime;

/// <summary>
/// The message path. Generated references hand every call to their router; the in-process
/// router dispatches to the local catalog, a cluster client sends the same request over the
/// network. Grain code never sees which one it is talking through.
/// </summary>
public interface IGrainCallRouter
{
    Task<TResult> InvokeAsync<TResult>(GrainReference target, GrainRequest<TResult> request);

    void InvokeOneWay(GrainReference target, GrainRequest request);

    /// <summary>The factory that creates references bound to this router.</summary>
    IGrainFactory GrainFactory { get; }
}
