namespace OpenClaw.Runtime;

/// <summary>
/// Records every activation that won its registration, before it runs (enabled by
/// <see cref="ClusterOptions.ActivationAudit"/>): one row per activation and silo, so a duplicate
/// activation of a grain can never go unnoticed.
/// </summary>
public interface IActivationAudit
{
    Task RecordAsync(GrainAddress activation, CancellationToken cancellationToken);
}

internal sealed class NoActivationAudit : IActivationAudit
{
    public Task RecordAsync(GrainAddress activation, CancellationToken cancellationToken) => Task.CompletedTask;
}
