using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenClaw.Grains.Diagnostics;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Runtime;
using OpenClaw.Runtime.Diagnostics;

namespace OpenClaw.Grains.ControlPlane;

/// <inheritdoc cref="ISiloControlGrain"/>
[SiloBound]
public sealed class SiloControlGrain(
    ISiloActivationControl activations,
    LocalSilo local,
    IServiceProvider services) : Grain, ISiloControlGrain
{
    /// <summary>The grain type of <see cref="UserGrain"/>: one activation per active tenant.</summary>
    public const string TenantGrainType = "user";

    public const int MaxListLimit = 1000;

    private string SiloName => local.IsKnown ? local.Address.ToString() : SiloBoundKeys.Local;

    public Task<SiloStats> GetStats(CancellationToken cancellationToken = default)
    {
        var byType = activations.CountByType();
        using var process = Process.GetCurrentProcess();
        var calls = services.GetService<GrainCallStatistics>()?.Snapshot();
        var runs = services.GetService<ChatRunStatistics>()?.Snapshot();
        var stats = new SiloStats
        {
            Silo = SiloName,
            Status = Status(),
            HostName = Environment.MachineName,
            At = TimeProvider.GetUtcNow(),
            StartedAt = process.StartTime.ToUniversalTime(),
            CpuPercent = Math.Round(ProcessCpuSampler.Shared.Sample(), 1),
            WorkingSetBytes = process.WorkingSet64,
            ManagedHeapBytes = GC.GetTotalMemory(forceFullCollection: false),
            Activations = byType.Values.Sum(),
            MaxActivations = activations.MaxActivations,
            ActivationsByType = byType,
            CallsTotal = calls?.CallsTotal ?? 0,
            CallFailuresTotal = calls?.CallFailuresTotal ?? 0,
            CallTimeoutsTotal = calls?.CallTimeoutsTotal ?? 0,
            CallLatencyP50Ms = calls?.CallLatencyP50Ms ?? 0,
            CallLatencyP99Ms = calls?.CallLatencyP99Ms ?? 0,
            ActivationsCreatedTotal = calls?.ActivationsCreatedTotal ?? 0,
            ActivationsCollectedTotal = calls?.ActivationsCollectedTotal ?? 0,
            ChatRunsTotal = runs?.ChatRunsTotal ?? 0,
            ProviderErrorsTotal = runs?.ProviderErrorsTotal ?? 0,
        };
        return Task.FromResult(stats);
    }

    public async Task<SiloCleanupResult> CollectIdle(TimeSpan? idleFor, CancellationToken cancellationToken = default)
    {
        if (idleFor is { } requested && requested < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(idleFor), "The idle age must not be negative.");
        var age = idleFor ?? activations.CollectionAgeOf(TenantGrainType) ?? TimeSpan.Zero;
        var deactivated = await activations.CollectIdleAsync(TenantGrainType, age, cancellationToken);
        return new SiloCleanupResult
        {
            Silo = SiloName,
            Deactivated = deactivated,
            IdleFor = age,
            ActiveAfter = activations.CountByType().GetValueOrDefault(TenantGrainType),
        };
    }

    public Task<SiloActiveTenants> ListActive(string? after, int limit, CancellationToken cancellationToken = default)
    {
        if (limit is < 1 or > MaxListLimit)
            throw new ArgumentOutOfRangeException(nameof(limit), $"limit must be between 1 and {MaxListLimit}.");
        var page = activations.ListKeys(TenantGrainType, after, limit + 1);
        var more = page.Count > limit;
        var tenants = more ? page.Take(limit).ToArray() : page.ToArray();
        return Task.FromResult(new SiloActiveTenants
        {
            Silo = SiloName,
            Tenants = tenants,
            NextAfter = more ? tenants[^1] : null,
        });
    }

    private string Status()
    {
        if (!local.IsKnown) return nameof(SiloStatus.Active);
        var view = services.GetService<ClusterMembershipView>();
        var status = view?.Current.StatusOf(local.Address) ?? SiloStatus.Active;
        return status == SiloStatus.None ? nameof(SiloStatus.Joining) : status.ToString();
    }
}
