using OpenClaw.Cluster.Tests.Infrastructure;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Runtime;
using Xunit.Abstractions;

namespace OpenClaw.Cluster.Tests.Scenarios;

/// <summary>
/// A silo frozen with SIGSTOP (a long GC pause, a stalled VM) keeps its sockets open but answers
/// nothing: the cluster must declare it dead and move its grains, calls stuck on it must fail
/// retryably once it is dead, and when it runs again it must serve nothing and end itself with
/// exit code 71 instead of coming back as a second owner.
/// </summary>
public sealed class FrozenSiloTests(PrivatePostgres postgres, ITestOutputHelper output) : IClassFixture<PrivatePostgres>
{
    private const int ProbeKeys = 300;
    private const int ForwardedCalls = 10;
    private const int DeclaredDeadExitCode = 71;

    [Fact]
    public async Task A_frozen_silo_is_replaced_and_exits_with_71_when_resumed_without_serving_again()
    {
        await using var cluster = new TestCluster(postgres, output);
        var silos = await cluster.StartSilosAsync(3);
        var client = await cluster.StartClientAsync();
        var keys = Enumerable.Range(0, ProbeKeys).Select(i => $"frozen-{i}").ToArray();
        var probes = await Placement.OfProbesAsync(client.Grains, keys);

        // The victim: the silo with the most keys.
        var victimAddress = probes.Values.GroupBy(s => s).MaxBy(g => g.Count())!.Key;
        var victim = cluster.SiloAt(victimAddress);
        var movedKeys = probes.Where(p => p.Value == victimAddress).Select(p => p.Key).ToList();
        output.WriteLine($"victim {victim.Name} {victimAddress}: {movedKeys.Count} probe keys");

        // A client that never called the victim's keys, with a survivor as gateway: its calls for them
        // reach the victim only through the survivor (a silo forwards them).
        var survivor = silos.First(s => s != victim);
        var forwardingClient = await cluster.StartClientAsync(preferredGateway: survivor.Endpoint);

        await using var load = new ClusterLoad([client.Grains], keys, []);
        load.Start();
        await load.WaitForMoreSuccessesAsync(500, ClusterTestTimeouts.LoadProgress);

        var frozenAt = load.Now;
        victim.Freeze();
        var freezeMark = await cluster.Database.NowAsync();
        var forwarded = movedKeys.Take(ForwardedCalls).Select(k => forwardingClient.Grains.GetGrain<IClusterProbeGrain>(k).Echo(7)).ToList();

        await Eventually.TrueAsync(async () => await cluster.Database.StatusOfAsync(victimAddress) == SiloStatus.Dead,
            ClusterTestTimeouts.DeclaredDead, $"frozen {victimAddress} is Dead in the membership table");
        output.WriteLine($"declared dead {(load.Now - frozenAt).TotalSeconds:0.0} s after the freeze");

        // The calls the survivor forwarded to the frozen silo end while it is still frozen (at the
        // latest by the 30 s response timeout): they must end as "retry shortly", not as "outcome unknown".
        var outcomes = await Task.WhenAll(forwarded.Select(async call =>
        {
            try
            {
                return $"answered {await call}";
            }
            catch (Exception ex)
            {
                output.WriteLine($"forwarded call, {(load.Now - frozenAt).TotalSeconds:0.0} s after the freeze: {ex.GetType().Name}: {ex.Message}");
                return ex.GetType().Name;
            }
        }));

        await ClusterRecovery.WaitUntilEverythingAnswersAsync(client.Grains, keys, [], notOn: victimAddress);
        var recoveredAt = load.Now;
        output.WriteLine($"every key answered from a survivor {(recoveredAt - frozenAt).TotalSeconds:0.0} s after the freeze");

        // Resumed, it finds itself dead: it exits with 71 and serves nothing meanwhile.
        victim.Resume();
        Assert.Equal(DeclaredDeadExitCode, await victim.WaitForExitAsync(ClusterTestTimeouts.DeclaredDeadExit));

        await load.WaitForMoreSuccessesAsync(ClusterTestTimeouts.CallsAfterRecovery, ClusterTestTimeouts.LoadProgress);
        await load.StopAsync();
        output.WriteLine($"load: {load.Succeeded} calls succeeded, {load.Failures.Count} failed: {string.Join(", ", load.Failures.GroupBy(f => f.Kind).Select(g => $"{g.Count()} {g.Key}"))}");

        var after = await Placement.OfProbesAsync(client.Grains, keys);
        Assert.All(after.Values, silo => Assert.NotEqual(victimAddress, silo));
        await AuditAssertions.NoActivationOnSiloAfterAsync(cluster.Database, victimAddress, freezeMark);
        await AuditAssertions.AtMostOneActivationPerKeyOnLiveSilosAsync(cluster.Database);

        // A frozen peer keeps its TCP connection open: once it is declared dead, the calls in flight to
        // it must fail as retryable SiloUnavailableException, not wait for their 30 s timeout.
        Assert.All(outcomes, outcome => Assert.Equal(nameof(SiloUnavailableException), outcome));
        var unexpected = load.UnexpectedFailures(frozenAt, recoveredAt);
        Assert.True(unexpected.Count == 0,
            $"{unexpected.Count} failures outside the outage [{frozenAt.TotalSeconds:0.000}, {recoveredAt.TotalSeconds:0.000}] s or not retryable:\n{string.Join('\n', unexpected.Take(20))}");
    }
}
