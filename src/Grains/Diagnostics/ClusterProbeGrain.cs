using Microsoft.Extensions.DependencyInjection;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Runtime;

namespace OpenClaw.Grains.Diagnostics;

/// <inheritdoc cref="IClusterProbeGrain"/>
public sealed class ClusterProbeGrain(IServiceProvider services) : Grain, IClusterProbeGrain
{
    private readonly string _activationId = Guid.NewGuid().ToString("N");

    public Task<string> Where()
    {
        var local = services.GetService<LocalSilo>();
        return Task.FromResult($"{(local is { IsKnown: true } ? local.Address.ToString() : "local")} {_activationId}");
    }

    public Task<int> Echo(int value) => Task.FromResult(value);
}
