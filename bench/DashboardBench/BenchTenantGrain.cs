using OpenClaw.Grains.Interfaces;
using OpenClaw.Runtime;

namespace OpenClaw.Bench.Dashboard;

/// <summary>
/// A cheap tenant activation with the tenant grain's type ("user") and interfaces, so the runtime
/// can hold 100,000 of them in the benchmark and the dashboard sees them as active tenants.
/// </summary>
[GrainType("user")]
public sealed class BenchTenantGrain : Grain, IUserGrain, IUserGrainInspect
{
    private int _calls;

    public Task<GatewayReply> Invoke(GatewayCall call, CancellationToken cancellationToken = default)
    {
        _calls++;
        return Task.FromResult(GatewayReply.Success("{}"));
    }

    public Task<GatewayReply> InvokeInterleaved(GatewayCall call, CancellationToken cancellationToken = default) => Invoke(call, cancellationToken);

    public Task Subscribe(string subscriberId, ITenantEventObserver observer) => Task.CompletedTask;

    public Task Unsubscribe(string id) => Task.CompletedTask;

    public Task ConnectionOpened(GatewayConnectionInfo connection) => Task.CompletedTask;

    public Task ConnectionClosed(string connectionId) => Task.CompletedTask;

    public Task<UserGrainActivity> GetActivity(CancellationToken cancellationToken = default) =>
        Task.FromResult(new UserGrainActivity { TenantId = GetPrimaryKeyString(), Loaded = true, RunsTotal = _calls });
}
