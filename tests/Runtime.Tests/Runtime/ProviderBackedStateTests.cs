using Microsoft.Extensions.DependencyInjection;
using OpenClaw.Runtime.Postgres;
using OpenClaw.Runtime.TestingHost;
using OpenClaw.Runtime.Tests.Persistence;
using OpenClaw.Runtime.Tests.TestGrains;

namespace OpenClaw.Runtime.Tests.Runtime;

/// <summary>
/// Grain state through the real providers: the embedded file store and PostgreSQL. Each test
/// starts a silo, lets the grain write, then starts a second silo on the same storage.
/// </summary>
public sealed class ProviderBackedStateTests
{
    public static TheoryData<string> Providers => ["file", "postgres"];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task State_round_trips_across_silo_restarts(string provider)
    {
        using var storage = ProviderUnderTest.Create(provider);
        var key = GrainProbe.UniqueKey("roundtrip");

        await using (var silo = await storage.StartSiloAsync())
        {
            var grain = silo.GrainFactory.GetGrain<IStatefulGrain>(key);
            await grain.Add("one");
            await grain.Add("two");
            await grain.Save();
            Assert.Equal(1, await grain.Etag());
        }

        await using (var silo = await storage.StartSiloAsync())
        {
            var grain = silo.GrainFactory.GetGrain<IStatefulGrain>(key);
            Assert.Equal(["one", "two"], await grain.Items());
            Assert.Equal(1, await grain.Etag());
            await grain.Clear();
        }

        await using (var silo = await storage.StartSiloAsync())
            Assert.Empty(await silo.GrainFactory.GetGrain<IStatefulGrain>(key).Items());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Shutdown_persists_unsaved_state(string provider)
    {
        using var storage = ProviderUnderTest.Create(provider);
        var keys = Enumerable.Range(0, 20).Select(i => GrainProbe.UniqueKey($"unsaved{i}")).ToList();
        await using (var silo = await storage.StartSiloAsync())
            foreach (var key in keys) await silo.GrainFactory.GetGrain<IStatefulGrain>(key).Add("kept-" + key);

        await using (var silo = await storage.StartSiloAsync())
            foreach (var key in keys) Assert.Equal(["kept-" + key], await silo.GrainFactory.GetGrain<IStatefulGrain>(key).Items());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Two_activations_writing_from_the_same_read_conflict_and_the_loser_is_told(string provider)
    {
        using var storage = ProviderUnderTest.Create(provider);
        var key = GrainProbe.UniqueKey("race");
        // Two silos on the same storage stand in for an activation that outlived its directory entry.
        await using var first = await storage.StartSiloAsync();
        await using var second = await storage.StartSiloAsync();
        var a = first.GrainFactory.GetGrain<IStatefulGrain>(key);
        var b = second.GrainFactory.GetGrain<IStatefulGrain>(key);
        await a.Items();
        await b.Items();

        await a.Add("from-a");
        await a.Save();
        await b.Add("from-b");
        await Assert.ThrowsAsync<InconsistentStateException>(() => b.Save());

        await first.DeactivateAsync<IStatefulGrain>(key);
        Assert.Equal(["from-a"], await a.Items());
    }

    private sealed class ProviderUnderTest : IDisposable
    {
        private readonly Action<IServiceCollection> _register;
        private readonly Action _cleanup;

        private ProviderUnderTest(Action<IServiceCollection> register, Action cleanup)
        {
            _register = register;
            _cleanup = cleanup;
        }

        public static ProviderUnderTest Create(string provider)
        {
            if (provider == "file")
            {
                var root = Path.Combine(Path.GetTempPath(), "openclaw-state-" + Guid.NewGuid().ToString("N"));
                return new ProviderUnderTest(
                    s => s.AddFileGrainStorage(GrainStorageNames.Default, o => o.RootDirectory = root),
                    () => { if (Directory.Exists(root)) Directory.Delete(root, recursive: true); });
            }
            var connectionString = PostgresTestDatabase.ConnectionString;
            var schema = PostgresTestDatabase.NewSchemaName();
            return new ProviderUnderTest(
                s => s.AddPostgresGrainStorage(GrainStorageNames.Default, o => { o.ConnectionString = connectionString; o.SchemaName = schema; }),
                () => { });
        }

        public Task<TestSilo> StartSiloAsync() =>
            TestSilo.StartAsync(typeof(StatefulGrain).Assembly, configureServices: _register);

        public void Dispose() => _cleanup();
    }
}
