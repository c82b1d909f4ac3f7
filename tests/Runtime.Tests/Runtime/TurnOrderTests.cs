using OpenClaw.Runtime.TestingHost;
using OpenClaw.Runtime.Tests.TestGrains;

namespace OpenClaw.Runtime.Tests.Runtime;

public sealed class TurnOrderTests : IAsyncLifetime
{
    private TestSilo _silo = null!;

    public async Task InitializeAsync() => _silo = await TestSilo.StartAsync(typeof(SequenceGrain).Assembly);
    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task Calls_run_in_arrival_order()
    {
        var grain = _silo.GrainFactory.GetGrain<ISequenceGrain>(GrainProbe.UniqueKey("fifo"));
        var calls = Enumerable.Range(0, 500).Select(grain.Record).ToArray();
        await Task.WhenAll(calls);
        Assert.Equal(Enumerable.Range(0, 500), await grain.Recorded());
    }

    [Fact]
    public async Task A_second_call_waits_for_the_running_turn_to_finish()
    {
        var gate = GrainProbe.UniqueKey("gate");
        var grain = _silo.GrainFactory.GetGrain<ISequenceGrain>(GrainProbe.UniqueKey("nonreentrant"));
        var held = grain.Hold(gate);
        var quick = grain.Quick("second");

        // Peek interleaves and is queued after Quick: had Quick been allowed to overtake the held
        // turn, it would have run (and completed) before Peek answers.
        Assert.Equal("peek:probe:running=1", await grain.Peek("probe").WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(held.IsCompleted);
        Assert.False(quick.IsCompleted); // not reentrant: it waits behind the held turn

        GrainProbe.Gate(gate).SetResult();
        Assert.Equal("held:" + gate, await held);
        Assert.Equal("quick:second", await quick);
    }

    [Fact]
    public async Task An_AlwaysInterleave_method_runs_while_a_turn_is_held()
    {
        var gate = GrainProbe.UniqueKey("gate");
        var grain = _silo.GrainFactory.GetGrain<ISequenceGrain>(GrainProbe.UniqueKey("interleave"));
        var held = grain.Hold(gate);
        var queued = grain.Quick("queued");

        var peek = await grain.Peek("now").WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("peek:now:running=1", peek); // it ran inside the held turn's await
        Assert.False(held.IsCompleted);
        Assert.False(queued.IsCompleted);

        GrainProbe.Gate(gate).SetResult();
        await held;
        Assert.Equal("quick:queued", await queued);
    }
}
