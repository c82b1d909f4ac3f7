using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Runtime;

namespace OpenClaw.Operations.Stats;

/// <summary>
/// Calls <see cref="ISiloControlGrain"/> on every serving silo in parallel, each bounded by a
/// timeout: the silos of this process's membership view (a silo's or a cluster client's), or the
/// single silo (<see cref="SiloBoundKeys.Local"/>) when there is no cluster.
/// </summary>
public sealed class SiloFanOut(IGrainFactory grains, IServiceProvider services, ILogger<SiloFanOut> logger)
{
    /// <summary>The silos to ask now: every serving member, or <c>local</c> for a single silo.</summary>
    public IReadOnlyList<string> Targets()
    {
        var view = services.GetService<ClusterMembershipView>();
        var serving = view?.Current.Serving;
        if (serving is null || serving.Count == 0) return [SiloBoundKeys.Local];
        return serving.Select(SiloBoundKeys.For).ToArray();
    }

    public async Task<FanOutResult<T>> CallAllAsync<T>(
        Func<ISiloControlGrain, CancellationToken, Task<T>> call, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var targets = Targets();
        var attempts = targets.Select(async silo =>
        {
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bounded.CancelAfter(timeout);
            try
            {
                var result = await call(grains.GetGrain<ISiloControlGrain>(silo), bounded.Token).WaitAsync(bounded.Token).ConfigureAwait(false);
                return (Silo: silo, Result: result, Error: (string?)null);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var reason = ex is OperationCanceledException ? $"no answer within {timeout.TotalSeconds:0.#} s" : ex.Message;
                OperationsStatsLog.SiloUnreachable(logger, silo, reason);
                return (Silo: silo, Result: default(T), Error: reason);
            }
        });
        var outcomes = await Task.WhenAll(attempts).ConfigureAwait(false);
        return new FanOutResult<T>(
            outcomes.Where(o => o.Error is null).Select(o => o.Result!).ToArray(),
            outcomes.Where(o => o.Error is not null).Select(o => new UnreachableSilo(o.Silo, o.Error!)).ToArray());
    }
}

public sealed record FanOutResult<T>(IReadOnlyList<T> Answers, IReadOnlyList<UnreachableSilo> Unreachable);

public sealed record UnreachableSilo(string Silo, string Reason);
