using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OpenClaw.Runtime;

/// <summary>
/// Runs the <see cref="ISiloLifecycleParticipant"/>s stage by stage: every participant of a stage
/// starts (in registration order) before the next stage begins; stopping goes through the stages
/// in reverse (and each stage's participants in reverse). Registered as the first hosted service,
/// so that hosted services added later (the edge) stop before the silo drains.
/// </summary>
internal sealed class SiloLifecycleRunner(IEnumerable<ISiloLifecycleParticipant> participants, ILogger<SiloLifecycleRunner> logger)
    : IHostedService, ISiloLifecycle
{
    private readonly ISiloLifecycleParticipant[] _participants = participants.ToArray();
    private readonly List<ISiloLifecycleParticipant> _started = [];
    private volatile bool _serving;
    private volatile bool _stopping;
    private SiloLifecycleStage? _current;

    public SiloLifecycleStage? CurrentStage => _current;

    public bool IsServing => _serving && !_stopping;

    public bool IsStopping => _stopping;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var stage in _participants.Select(p => p.Stage).Distinct().Order())
        {
            _current = stage;
            ClusterLog.Stage(logger, "starting", stage);
            foreach (var participant in _participants.Where(p => p.Stage == stage))
            {
                await participant.StartAsync(cancellationToken).ConfigureAwait(false);
                _started.Add(participant);
            }
        }
        _serving = true;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        foreach (var stage in _started.Select(p => p.Stage).Distinct().OrderDescending())
        {
            _current = stage;
            ClusterLog.Stage(logger, "stopping", stage);
            foreach (var participant in _started.Where(p => p.Stage == stage).Reverse())
            {
                try
                {
                    await participant.StopAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    ClusterLog.StageStopFailed(logger, ex, participant.GetType().Name, stage);
                }
            }
        }
    }
}

/// <summary>Runs a hosted-service-shaped component as a lifecycle participant.</summary>
internal sealed class LifecycleParticipant(SiloLifecycleStage stage, Func<CancellationToken, Task> start, Func<CancellationToken, Task> stop)
    : ISiloLifecycleParticipant
{
    public SiloLifecycleStage Stage => stage;

    public Task StartAsync(CancellationToken cancellationToken) => start(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => stop(cancellationToken);
}
