using OpenClaw.Runtime.TestingHost;
using OpenClaw.Runtime.Tests.TestGrains;

namespace OpenClaw.Runtime.Tests.Runtime;

public sealed class ActivationLifecycleTests : IAsyncLifetime
{
    private TestSilo _silo = null!;

    public async Task InitializeAsync() => _silo = await TestSilo.StartAsync(typeof(CounterGrain).Assembly);
    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task A_grain_activates_on_its_first_call_not_when_referenced()
    {
        var key = GrainProbe.UniqueKey("lazy");
        var grain = _silo.GrainFactory.GetGrain<ICounterGrain>(key);
        Assert.False(_silo.IsActive<ICounterGrain>(key));
        Assert.Equal(0, GrainProbe.ActivationCount(key));

        Assert.Equal(1, await grain.Increment());
        Assert.True(_silo.IsActive<ICounterGrain>(key));
        Assert.Equal(1, GrainProbe.ActivationCount(key));
        Assert.Equal(2, await grain.Increment());
    }

    [Fact]
    public async Task Concurrent_first_calls_create_exactly_one_activation()
    {
        var key = GrainProbe.UniqueKey("single");
        var start = new ManualResetEventSlim();
        var callers = Enumerable.Range(0, 1000).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            // A fresh reference per caller, as independent clients would have.
            return await _silo.GrainFactory.GetGrain<ICounterGrain>(key).Increment();
        })).ToArray();
        start.Set();
        var results = await Task.WhenAll(callers);

        Assert.Equal(1, GrainProbe.ActivationCount(key));
        Assert.Equal(Enumerable.Range(1, 1000), results.Order());
    }

    [Fact]
    public async Task DeactivateOnIdle_deactivates_after_the_turn_and_the_next_call_reactivates()
    {
        var key = GrainProbe.UniqueKey("doi");
        var grain = _silo.GrainFactory.GetGrain<ICounterGrain>(key);
        await grain.Increment();
        await grain.DeactivateWhenIdle();
        await WaitUntil(() => !_silo.IsActive<ICounterGrain>(key));
        Assert.Equal([DeactivationReasonCode.ApplicationRequested], GrainProbe.DeactivationsOf(key));

        Assert.Equal(1, await grain.Increment()); // fresh activation, fresh in-memory state
        Assert.Equal(2, GrainProbe.ActivationCount(key));
    }

    [Fact]
    public async Task A_throwing_OnActivateAsync_fails_the_queued_calls_and_leaves_no_activation()
    {
        var key = GrainProbe.UniqueKey("always-fails");
        var grain = _silo.GrainFactory.GetGrain<IFailingActivationGrain>(key);
        var calls = Enumerable.Range(0, 10).Select(_ => grain.Ping()).ToArray();
        foreach (var call in calls)
        {
            var error = await Assert.ThrowsAsync<GrainActivationException>(() => call);
            Assert.Contains("activation refused", error.Message);
            Assert.IsType<InvalidOperationException>(error.InnerException);
        }
        Assert.False(_silo.IsActive<IFailingActivationGrain>(key));
    }

    [Fact]
    public async Task After_a_failed_activation_the_next_call_activates_again()
    {
        var key = GrainProbe.UniqueKey("fails-once");
        var grain = _silo.GrainFactory.GetGrain<IFailingActivationGrain>(key);
        await Assert.ThrowsAsync<GrainActivationException>(() => grain.Ping());
        Assert.Equal("pong", await grain.Ping());
        Assert.Equal(2, GrainProbe.ActivationCount(key));
    }

    [Fact]
    public async Task Exceptions_thrown_by_a_grain_reach_the_caller_with_type_and_message()
    {
        var grain = _silo.GrainFactory.GetGrain<ICounterGrain>(GrainProbe.UniqueKey("throws"));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => grain.Fail("boom 42"));
        Assert.Equal("boom 42", error.Message);
        Assert.Equal(0, await grain.Get()); // the activation survives its own exceptions
    }

    [Fact]
    public async Task Arguments_and_results_are_copied_not_shared()
    {
        var grain = _silo.GrainFactory.GetGrain<ICounterGrain>(GrainProbe.UniqueKey("copy"));
        var bag = new Bag { Items = ["caller"] };
        var returned = await grain.Mutate(bag);
        Assert.Equal(["caller"], bag.Items);
        Assert.Equal(["caller", "grain"], returned.Items);
        Assert.NotSame(bag, returned);
    }

    [Fact]
    public async Task Operator_deactivation_runs_OnDeactivateAsync_and_removes_the_activation()
    {
        var key = GrainProbe.UniqueKey("operator");
        await _silo.GrainFactory.GetGrain<ICounterGrain>(key).Increment();
        await _silo.DeactivateAsync<ICounterGrain>(key);
        Assert.False(_silo.IsActive<ICounterGrain>(key));
        Assert.Equal([DeactivationReasonCode.ApplicationRequested], GrainProbe.DeactivationsOf(key));
    }

    internal static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++) await Task.Delay(10);
        Assert.True(condition(), "condition not reached within 5 s");
    }
}
