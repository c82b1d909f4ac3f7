using OpenClaw.Runtime.TestingHost;
using OpenClaw.Runtime.Tests.TestGrains;

namespace OpenClaw.Runtime.Tests.Runtime;

/// <summary>
/// A caller that gives up costs nothing more: a cancelled call that has not started is dropped,
/// a running one sees its token cancelled; and an activation's queue of waiting calls is bounded.
/// </summary>
public sealed class CancellationAndOverloadTests : IAsyncLifetime
{
    private const int MaxPending = 4;
    private TestSilo _silo = null!;

    public async Task InitializeAsync() =>
        _silo = await TestSilo.StartAsync(typeof(CancellableGrain).Assembly, o => o.MaxPendingCallsPerActivation = MaxPending);

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task A_queued_call_whose_caller_cancels_ends_at_once_and_never_runs()
    {
        var gate = GrainProbe.UniqueKey("gate");
        var grain = _silo.GrainFactory.GetGrain<ICancellableGrain>(GrainProbe.UniqueKey("queued"));
        var held = grain.Hold(gate);
        using var cancellation = new CancellationTokenSource();
        var queued = grain.Work("dropped", cancellation.Token);
        var kept = grain.Work("kept", CancellationToken.None);

        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(held.IsCompleted); // it ended while the turn it waited behind was still running

        GrainProbe.Gate(gate).SetResult();
        await held;
        Assert.Equal("kept", await kept);
        Assert.Equal(["ran:kept"], await grain.Log());
    }

    [Fact]
    public async Task A_running_call_sees_its_token_cancelled_when_the_caller_cancels()
    {
        var grain = _silo.GrainFactory.GetGrain<ICancellableGrain>(GrainProbe.UniqueKey("running"));
        using var cancellation = new CancellationTokenSource();
        var waiting = grain.WaitForCancellation(cancellation.Token);
        await WaitUntil(async () => (await grain.Log()).Contains("waiting"));

        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        await WaitUntil(async () => (await grain.Log()).Contains("cancelled"));
    }

    [Fact]
    public async Task A_call_with_an_already_cancelled_token_is_not_sent()
    {
        var key = GrainProbe.UniqueKey("precancelled");
        var grain = _silo.GrainFactory.GetGrain<ICancellableGrain>(key);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => grain.Work("never", new CancellationToken(canceled: true)));
        Assert.False(_silo.IsActive<ICancellableGrain>(key)); // nothing was even activated
    }

    [Fact]
    public async Task Calls_beyond_the_pending_limit_are_refused_at_once_and_room_comes_back_when_callers_leave()
    {
        var gate = GrainProbe.UniqueKey("gate");
        var grain = _silo.GrainFactory.GetGrain<ICancellableGrain>(GrainProbe.UniqueKey("bounded"));
        var held = grain.Hold(gate);
        await grain.Log(); // interleaves with the held turn, so that turn has started
        using var leaving = new CancellationTokenSource();
        var waiting = Enumerable.Range(0, MaxPending).Select(i => grain.Work("w" + i, i < 2 ? leaving.Token : CancellationToken.None)).ToList();

        var refused = await Assert.ThrowsAsync<ActivationOverloadedException>(() => grain.Work("over", CancellationToken.None));
        Assert.Contains("retry later", refused.Message);

        await leaving.CancelAsync(); // two callers leave: their queued calls no longer count
        var accepted = grain.Work("after", CancellationToken.None);
        Assert.False(accepted.IsCompleted);

        GrainProbe.Gate(gate).SetResult();
        await held;
        Assert.Equal("after", await accepted);
        var log = await grain.Log();
        Assert.DoesNotContain("ran:w0", log);
        Assert.DoesNotContain("ran:over", log);
        Assert.Equal(["ran:w2", "ran:w3", "ran:after"], log);
        await Task.WhenAll(waiting.Skip(2));
    }

    private static async Task WaitUntil(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The condition did not become true within 10 s.");
            await Task.Delay(10);
        }
    }
}
