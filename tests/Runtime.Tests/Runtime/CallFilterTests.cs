using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using OpenClaw.Runtime.TestingHost;
using OpenClaw.Runtime.Tests.TestGrains;

namespace OpenClaw.Runtime.Tests.Runtime;

public sealed class CallFilterTests
{
    [Fact]
    public async Task Filters_see_every_call_in_order_and_results_still_reach_the_caller()
    {
        var seen = new ConcurrentQueue<string>();
        await using var silo = await TestSilo.StartAsync(typeof(CounterGrain).Assembly, configureServices: s =>
        {
            s.AddSingleton<IIncomingGrainCallFilter>(new RecordingFilter("outer", seen));
            s.AddSingleton<IIncomingGrainCallFilter>(new RecordingFilter("inner", seen));
        });
        var key = GrainProbe.UniqueKey("filtered");
        var grain = silo.GrainFactory.GetGrain<ICounterGrain>(key);

        Assert.Equal(1, await grain.Increment());
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => grain.Fail("through filters"));
        Assert.Equal("through filters", error.Message);

        Assert.Equal(
            ["outer>Increment", "inner>Increment", "inner<Increment", "outer<Increment",
             "outer>Fail", "inner>Fail", "inner<Fail", "outer<Fail"],
            seen.ToArray());
    }

    [Fact]
    public async Task A_filter_can_refuse_a_call()
    {
        await using var silo = await TestSilo.StartAsync(typeof(CounterGrain).Assembly,
            configureServices: s => s.AddSingleton<IIncomingGrainCallFilter>(new RefusingFilter()));
        var grain = silo.GrainFactory.GetGrain<ICounterGrain>(GrainProbe.UniqueKey("refused"));
        var error = await Assert.ThrowsAsync<UnauthorizedAccessException>(() => grain.Increment());
        Assert.Contains("ICounterGrain.Increment", error.Message);
    }

    private sealed class RecordingFilter(string name, ConcurrentQueue<string> seen) : IIncomingGrainCallFilter
    {
        public async Task Invoke(IIncomingGrainCallContext context)
        {
            seen.Enqueue($"{name}>{context.MethodName}");
            try { await context.Invoke(); }
            finally { seen.Enqueue($"{name}<{context.MethodName}"); }
        }
    }

    private sealed class RefusingFilter : IIncomingGrainCallFilter
    {
        public Task Invoke(IIncomingGrainCallContext context) =>
            throw new UnauthorizedAccessException($"refused {context.InterfaceName.Split('.')[^1]}.{context.MethodName}");
    }
}
