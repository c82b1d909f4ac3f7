using Microsoft.Extensions.DependencyInjection;
using OpenClaw.Runtime.Tests.TestGrains;

namespace OpenClaw.Runtime.Tests.Cluster;

/// <summary>Routing, single activation and membership across silos in one process (real sockets between them).</summary>
public sealed class InProcessClusterTests
{
    [Fact]
    public async Task Concurrent_first_calls_from_every_silo_create_exactly_one_activation_per_grain()
    {
        await using var cluster = new InProcessCluster();
        var silos = new[] { await cluster.StartSiloAsync(), await cluster.StartSiloAsync(), await cluster.StartSiloAsync() };
        await cluster.WaitAllActiveAsync();

        var keys = Enumerable.Range(0, 200).Select(i => GrainProbe.UniqueKey("single-" + i)).ToArray();
        var calls = new List<Task<int>>();
        foreach (var key in keys)
            foreach (var silo in silos)
                for (var i = 0; i < 3; i++)
                    calls.Add(InProcessCluster.FactoryOf(silo).GetGrain<ICounterGrain>(key).Increment());
        var results = await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.All(keys, key => Assert.Equal(1, GrainProbe.ActivationCount(key)));
        // Every increment landed on the same activation: each key counted to 9.
        foreach (var key in keys)
            Assert.Equal(9, await InProcessCluster.FactoryOf(silos[0]).GetGrain<ICounterGrain>(key).Get());
        Assert.Equal(9 * keys.Length, results.Length);
        var hosting = silos.Select(s => InProcessCluster.RuntimeOf(s).ActivationCount).ToArray();
        Assert.Equal(keys.Length, hosting.Sum());
        Assert.All(hosting, count => Assert.True(count > 0, "placement spread the grains over every silo"));
    }

    [Fact]
    public async Task A_call_in_flight_to_a_silo_declared_dead_fails_as_unavailable_instead_of_waiting_for_its_timeout()
    {
        await using var cluster = new InProcessCluster();
        var a = await cluster.StartSiloAsync();
        var b = await cluster.StartSiloAsync();
        await cluster.WaitAllActiveAsync();
        var addressOfB = InProcessCluster.AddressOf(b);

        // A grain that lives on b, holding a turn that never ends (b is "frozen" for this call):
        // its connection stays open, so only the membership verdict can end the call.
        ICancellableGrain? held = null;
        for (var i = 0; held is null; i++)
        {
            var candidate = InProcessCluster.FactoryOf(a).GetGrain<ICancellableGrain>(GrainProbe.UniqueKey("frozen-" + i));
            await candidate.Log();
            var location = await cluster.Directory.LookupAsync(((GrainReference)(object)candidate).GrainId, CancellationToken.None);
            if (location?.Silo == addressOfB) held = candidate;
        }
        var gate = GrainProbe.UniqueKey("held");
        var call = held.Hold(gate);

        await cluster.Table.SetStatusAsync(addressOfB, SiloStatus.Dead, CancellationToken.None);

        await Assert.ThrowsAsync<SiloUnavailableException>(() => call);
        GrainProbe.Gate(gate).TrySetResult(); // let b's turn end so that b stops quickly
    }

    [Fact]
    public async Task A_silo_that_stops_gracefully_hands_its_grains_over_without_failed_calls()
    {
        await using var cluster = new InProcessCluster();
        var a = await cluster.StartSiloAsync();
        var b = await cluster.StartSiloAsync();
        await cluster.WaitAllActiveAsync();
        var keys = Enumerable.Range(0, 50).Select(i => GrainProbe.UniqueKey("drain-" + i)).ToArray();
        foreach (var key in keys) await InProcessCluster.FactoryOf(a).GetGrain<IStatefulGrain>(key).Add("before");

        using var load = new CancellationTokenSource();
        var failures = 0;
        var calls = 0;
        var loop = Task.Run(async () =>
        {
            while (!load.IsCancellationRequested)
            {
                foreach (var key in keys)
                {
                    try
                    {
                        await InProcessCluster.FactoryOf(a).GetGrain<IStatefulGrain>(key).Items();
                        Interlocked.Increment(ref calls);
                    }
                    catch (Exception)
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
            }
        });
        var fatal = (RecordingFatalShutdown)b.Services.GetRequiredService<IFatalShutdown>();
        await cluster.StopSiloAsync(b);
        await load.CancelAsync();
        await loop;

        Assert.Equal(0, failures);
        // Leaving writes Dead into the table itself; reading it back is no verdict to act on.
        Assert.False(fatal.Declared);
        Assert.True(calls > 0);
        foreach (var key in keys) Assert.Equal(["before"], await InProcessCluster.FactoryOf(a).GetGrain<IStatefulGrain>(key).Items());
    }

    [Fact]
    public async Task A_client_calls_grains_on_any_silo_and_silos_call_its_observers_back()
    {
        await using var cluster = new InProcessCluster();
        var a = await cluster.StartSiloAsync();
        var b = await cluster.StartSiloAsync();
        await cluster.WaitAllActiveAsync();
        var client = await cluster.StartClientAsync();
        var factory = client.Services.GetRequiredService<IGrainFactory>();

        var keys = Enumerable.Range(0, 40).Select(i => GrainProbe.UniqueKey("client-" + i)).ToArray();
        foreach (var key in keys)
        {
            Assert.Equal(1, await factory.GetGrain<ICounterGrain>(key).Increment());
            Assert.Equal(2, await factory.GetGrain<ICounterGrain>(key).Increment());
        }
        Assert.Equal(keys.Length, InProcessCluster.RuntimeOf(a).ActivationCount + InProcessCluster.RuntimeOf(b).ActivationCount);

        var received = new System.Collections.Concurrent.ConcurrentQueue<int>();
        var observer = factory.CreateObjectReference<INumberObserver>(new NumberCollector(received));
        var publisher = factory.GetGrain<IPublisherGrain>(GrainProbe.UniqueKey("publisher"));
        await publisher.Subscribe("client", observer);
        for (var i = 1; i <= 5; i++) await publisher.Publish(i);
        await WaitUntil(() => received.Count == 5);
        Assert.Equal([1, 2, 3, 4, 5], received.ToArray());

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => factory.GetGrain<ICounterGrain>(GrainProbe.UniqueKey("fails")).Fail("boom"));
        Assert.Equal("boom", exception.Message);
    }

    private sealed class NumberCollector(System.Collections.Concurrent.ConcurrentQueue<int> received) : INumberObserver
    {
        public void OnNumber(int value) => received.Enqueue(value);
    }

    internal static async Task WaitUntil(Func<bool> condition, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The condition did not become true within {seconds} s.");
            await Task.Delay(20);
        }
    }
}
