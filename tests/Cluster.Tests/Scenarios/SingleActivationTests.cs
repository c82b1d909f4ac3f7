using OpenClaw.Cluster.Tests.Infrastructure;
using OpenClaw.Grains.Interfaces;
using Xunit.Abstractions;

namespace OpenClaw.Cluster.Tests.Scenarios;

/// <summary>
/// Strict single activation across real processes: many callers on every silo's client race for
/// the same cold keys; each key must be activated once, on one silo, and every caller must have
/// reached that activation.
/// </summary>
public sealed class SingleActivationTests(PrivatePostgres postgres, ITestOutputHelper output) : IClassFixture<PrivatePostgres>
{
    private const int Keys = 1_000;
    private const int CallersPerKey = 100;

    /// <summary>Keys raced at once: 25 × 100 = 2,500 calls in flight, which the 2-core machine handles without call timeouts.</summary>
    private const int KeysPerBatch = 25;

    [Fact]
    public async Task Concurrent_first_calls_from_three_clients_activate_each_key_exactly_once()
    {
        await using var cluster = new TestCluster(postgres, output);
        var silos = await cluster.StartSilosAsync(3);
        var clients = new List<TestClusterClient>();
        foreach (var silo in silos) clients.Add(await cluster.StartClientAsync(preferredGateway: silo.Endpoint));

        var keys = Enumerable.Range(0, Keys).Select(i => $"single-{cluster.ClusterId}-{i}").ToArray();
        var answers = new Dictionary<string, HashSet<string>>();
        foreach (var batch in keys.Chunk(KeysPerBatch))
        {
            // Caller-major order: the first call of every key of the batch leaves before the second of any, from all three clients.
            var calls = new List<(string Key, Task<string> Where)>();
            for (var caller = 0; caller < CallersPerKey; caller++)
            {
                var client = clients[caller % clients.Count];
                foreach (var key in batch) calls.Add((key, client.Grains.GetGrain<IClusterProbeGrain>(key).Where()));
            }
            await Task.WhenAll(calls.Select(c => c.Where));
            foreach (var (key, where) in calls)
            {
                if (!answers.TryGetValue(key, out var seen)) answers[key] = seen = [];
                seen.Add(where.Result);
            }
        }

        // Every caller of a key reached the same activation ("silo activationId").
        var split = answers.Where(a => a.Value.Count != 1).Select(a => $"{a.Key}: {string.Join(" | ", a.Value)}").ToList();
        Assert.True(split.Count == 0, $"{split.Count} keys answered from more than one activation:\n{string.Join('\n', split.Take(20))}");

        // The audit has exactly one activation per key, on the silo that answered.
        var audit = (await cluster.Database.ActivationsAsync()).Where(r => r.Key.StartsWith($"single-{cluster.ClusterId}-", StringComparison.Ordinal)).ToList();
        var duplicated = audit.GroupBy(r => r.Key).Where(g => g.Count() != 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(r => r.Silo))}").ToList();
        Assert.True(duplicated.Count == 0, $"{duplicated.Count} keys were activated more than once:\n{string.Join('\n', duplicated.Take(20))}");
        Assert.Equal(Keys, audit.Count);
        // Where() names "silo grainInstanceId"; the grain's own instance id is not the runtime's activation id.
        foreach (var row in audit) Assert.Equal(row.Silo, answers[row.Key].Single().Split(' ')[0]);

        // Placement spread the keys: the race happened on every silo, not on one.
        Assert.All(silos, silo => Assert.Contains(audit, r => r.Silo == silo.Address));
    }
}
