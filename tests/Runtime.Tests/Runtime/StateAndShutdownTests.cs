using Microsoft.Extensions.DependencyInjection;
using OpenClaw.Runtime.TestingHost;
using OpenClaw.Runtime.Tests.TestGrains;

namespace OpenClaw.Runtime.Tests.Runtime;

public sealed class StateAndShutdownTests
{
    [Fact]
    public async Task State_is_loaded_before_the_first_call_and_survives_reactivation()
    {
        var storage = new InMemoryGrainStorage();
        await using var silo = await StartWith(storage);
        var key = GrainProbe.UniqueKey("state");
        var grain = silo.GrainFactory.GetGrain<IStatefulGrain>(key);
        await grain.Add("a");
        await grain.Add("b");
        await grain.Save();
        Assert.Equal(1, await grain.Etag());

        await silo.DeactivateAsync<IStatefulGrain>(key);
        Assert.Equal(["a", "b"], await grain.Items());
        Assert.Equal(1, await grain.Etag());
    }

    [Fact]
    public async Task A_stale_write_fails_with_a_conflict_and_is_not_retried()
    {
        var storage = new InMemoryGrainStorage();
        await using var silo = await StartWith(storage);
        var key = GrainProbe.UniqueKey("conflict");
        var grain = silo.GrainFactory.GetGrain<IStatefulGrain>(key);
        await grain.Add("mine");
        await grain.Save();

        // Someone else writes the same record behind the activation's back.
        var stateKey = new GrainStateKey("stateful", key, "items");
        await storage.WriteAsync(stateKey, """{"items":["theirs"]}"""u8.ToArray(), expectedEtag: 1, CancellationToken.None);

        await grain.Add("again");
        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => grain.Save());
        Assert.Equal(2, conflict.StoredEtag);
        Assert.Equal(1, conflict.ExpectedEtag);
        var stored = await storage.ReadAsync(stateKey, CancellationToken.None);
        Assert.Equal("""{"items":["theirs"]}""", System.Text.Encoding.UTF8.GetString(stored!.Data!));
    }

    [Fact]
    public async Task Clear_removes_the_record_and_resets_the_state()
    {
        var storage = new InMemoryGrainStorage();
        await using var silo = await StartWith(storage);
        var key = GrainProbe.UniqueKey("clear");
        var grain = silo.GrainFactory.GetGrain<IStatefulGrain>(key);
        await grain.Add("x");
        await grain.Save();
        await grain.Clear();
        Assert.Empty(await grain.Items());
        await silo.DeactivateAsync<IStatefulGrain>(key);
        Assert.Empty(await grain.Items());
        Assert.Equal(0, storage.Count);
    }

    [Fact]
    public async Task Shutdown_deactivates_every_activation_and_persists_its_state()
    {
        var storage = new InMemoryGrainStorage();
        var silo = await StartWith(storage);
        var keys = Enumerable.Range(0, 50).Select(i => GrainProbe.UniqueKey($"shutdown{i}")).ToList();
        foreach (var key in keys) await silo.GrainFactory.GetGrain<IStatefulGrain>(key).Add("unsaved-" + key);
        Assert.Equal(0, storage.Count);

        await silo.DisposeAsync();
        Assert.Equal(50, storage.Count);

        await using var restarted = await StartWith(storage);
        foreach (var key in keys) Assert.Equal(["unsaved-" + key], await restarted.GrainFactory.GetGrain<IStatefulGrain>(key).Items());
    }

    [Fact]
    public async Task Calls_after_shutdown_fail_clearly()
    {
        var silo = await TestSilo.StartAsync(typeof(CounterGrain).Assembly);
        var grain = silo.GrainFactory.GetGrain<ICounterGrain>(GrainProbe.UniqueKey("late"));
        await silo.StopAsync();
        await Assert.ThrowsAsync<SiloUnavailableException>(() => grain.Increment());
        await silo.DisposeAsync();
    }

    private static Task<TestSilo> StartWith(InMemoryGrainStorage storage) =>
        TestSilo.StartAsync(typeof(StatefulGrain).Assembly,
            configureServices: s => s.AddKeyedSingleton<IGrainStorage>(GrainStorageNames.Default, storage));
}
