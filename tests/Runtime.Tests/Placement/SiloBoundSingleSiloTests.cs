using OpenClaw.Runtime.TestingHost;
using OpenClaw.Runtime.Tests.TestGrains;

namespace OpenClaw.Runtime.Tests.Placement;

/// <summary>Silo-bound grains on a single silo without a cluster, and the activation controls operators use.</summary>
public sealed class SiloBoundSingleSiloTests : IAsyncLifetime
{
    private TestSilo _silo = null!;

    public async Task InitializeAsync() => _silo = await TestSilo.StartAsync(typeof(CounterGrain).Assembly, o => o.CollectionAge = TimeSpan.FromMinutes(30));

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    private ISiloActivationControl Control => (ISiloActivationControl)_silo.Services.GetService(typeof(ISiloActivationControl))!;

    [Fact]
    public async Task Local_runs_here()
    {
        var first = await _silo.GrainFactory.GetGrain<ISiloProbeGrain>(SiloBoundKeys.Local).WhereAmI();
        var second = await _silo.GrainFactory.GetGrain<ISiloProbeGrain>(SiloBoundKeys.Local).WhereAmI();
        Assert.StartsWith("local|", first);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Another_silo_address_is_refused_by_a_single_silo()
    {
        await Assert.ThrowsAsync<SiloUnavailableException>(() =>
            _silo.GrainFactory.GetGrain<ISiloProbeGrain>("10.1.2.3:11111@42").WhereAmI());
        Assert.DoesNotContain(_silo.Runtime.GetActivations(), id => id.Type == "siloprobe");
    }

    [Fact]
    public async Task Counts_list_and_collect_idle_activations_of_one_type()
    {
        var keys = Enumerable.Range(0, 5).Select(i => $"k{i}-{Guid.NewGuid():N}").Order(StringComparer.Ordinal).ToArray();
        foreach (var key in keys) await _silo.GrainFactory.GetGrain<ICounterGrain>(key).Increment();
        await _silo.GrainFactory.GetGrain<ISiloProbeGrain>(SiloBoundKeys.Local).WhereAmI();

        var counts = Control.CountByType();
        Assert.Equal(5, counts["counter"]);
        Assert.Equal(1, counts["siloprobe"]);
        Assert.Equal(TimeSpan.FromMinutes(30), Control.CollectionAgeOf("counter"));

        var page1 = Control.ListKeys("counter", null, 3);
        var page2 = Control.ListKeys("counter", page1[^1], 3);
        Assert.Equal(keys, page1.Concat(page2));

        // Nothing is idle for 10 minutes yet.
        Assert.Equal(0, await Control.CollectIdleAsync("counter", TimeSpan.FromMinutes(10), CancellationToken.None));
        _silo.Time.Advance(TimeSpan.FromMinutes(11));
        await _silo.GrainFactory.GetGrain<ICounterGrain>(keys[0]).Increment(); // just used: stays
        Assert.Equal(4, await Control.CollectIdleAsync("counter", TimeSpan.FromMinutes(10), CancellationToken.None));
        Assert.Equal(1, Control.CountByType()["counter"]);
        Assert.Equal(1, Control.CountByType()["siloprobe"]); // another type is untouched
        Assert.Equal([keys[0]], Control.ListKeys("counter", null, 10));
    }
}
