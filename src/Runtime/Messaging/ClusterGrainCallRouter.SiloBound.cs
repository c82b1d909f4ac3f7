namespace OpenClaw.Runtime;

internal sealed partial class ClusterGrainCallRouter
{
    /// <summary>
    /// A call to a <see cref="SiloBoundAttribute"/> grain: run here when its key names this silo,
    /// sent to the named silo when that one is serving, refused otherwise. No directory, no placement.
    /// </summary>
    private void RouteSiloBound(GrainMessage message)
    {
        var target = SiloBoundRoute.Resolve(message.Target, Silo, _view.Current, out var refusal);
        if (target is not { } silo)
        {
            message.Fail(refusal!);
            return;
        }
        if (silo != Silo)
        {
            Forward(message, silo, RequestFlags.None);
            return;
        }
        if (_catalog.TryGetActivation(message.Target, out var activation) && activation.TryEnqueue(message)) return;
        if (_catalog.IsStopping)
        {
            message.Fail(new SiloUnavailableException($"Silo {Silo} is shutting down; {message.Target} is bound to it and is not activated again."));
            return;
        }
        _catalog.Dispatch(message);
    }
}
