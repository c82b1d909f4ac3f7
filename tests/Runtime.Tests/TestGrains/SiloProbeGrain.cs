using Microsoft.Extensions.DependencyInjection;
using OpenClaw.Runtime;

namespace OpenClaw.Runtime.Tests.TestGrains;

/// <summary>A silo-bound grain that says where it really runs (the silo's own address, not its key).</summary>
public interface ISiloProbeGrain : IGrainWithStringKey
{
    /// <summary><c>address|activation id</c> (address <c>local</c> for a single silo without a cluster).</summary>
    Task<string> WhereAmI();
}

[SiloBound]
public sealed class SiloProbeGrain(IServiceProvider services) : Grain, ISiloProbeGrain
{
    private readonly string _activation = Guid.NewGuid().ToString("N");

    public Task<string> WhereAmI()
    {
        var local = services.GetRequiredService<LocalSilo>();
        return Task.FromResult($"{(local.IsKnown ? local.Address.ToString() : SiloBoundKeys.Local)}|{_activation}");
    }
}
