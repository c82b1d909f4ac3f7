namespace OpenClaw.Runtime;

/// <summary>
/// Installed while an activation runs its work. Continuations of grain code (every <c>await</c>
/// that does not opt out with ConfigureAwait(false)) are posted back to the activation's queue,
/// so the turns of one activation never run in parallel, even when they interleave.
/// </summary>
internal sealed class ActivationSynchronizationContext(ActivationData activation) : SynchronizationContext
{
    public ActivationData Activation { get; } = activation;

    public override void Post(SendOrPostCallback callback, object? state) => Activation.Post(callback, state);

    public override void Send(SendOrPostCallback callback, object? state) =>
        throw new NotSupportedException("Synchronous Send into an activation would deadlock its turn; use Post.");

    public override SynchronizationContext CreateCopy() => this;
}
