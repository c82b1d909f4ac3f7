using System.Collections.Concurrent;
using System.Diagnostics;
using OpenClaw.Runtime.Diagnostics;
using OpenClaw.Runtime.Tests.Cluster;
using OpenClaw.Runtime.Tests.TestGrains;

namespace OpenClaw.Runtime.Tests.Diagnostics;

public sealed class TracePropagationTests
{
    private const string CallerSource = "OpenClaw.Runtime.Tests.Caller";

    [Fact]
    public async Task A_call_to_a_grain_on_another_silo_continues_the_callers_trace_through_the_request_frame()
    {
        var recorded = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is RuntimeActivitySource.Name or CallerSource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = recorded.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        using var callerSource = new ActivitySource(CallerSource);

        await using var cluster = new InProcessCluster();
        var a = await cluster.StartSiloAsync();
        var b = await cluster.StartSiloAsync();
        await cluster.WaitAllActiveAsync();
        var addressOfB = InProcessCluster.AddressOf(b);

        // A grain that lives on b, called from a: the call crosses the cluster connection.
        ICounterGrain? remote = null;
        string? key = null;
        for (var i = 0; remote is null; i++)
        {
            key = GrainProbe.UniqueKey("traced-" + i);
            var candidate = InProcessCluster.FactoryOf(a).GetGrain<ICounterGrain>(key);
            await candidate.Get();
            var location = await cluster.Directory.LookupAsync(((GrainReference)(object)candidate).GrainId, CancellationToken.None);
            if (location?.Silo == addressOfB) remote = candidate;
        }

        ActivityTraceId traceId;
        ActivitySpanId callerSpan;
        using (var caller = callerSource.StartActivity("caller")!)
        {
            traceId = caller.TraceId;
            callerSpan = caller.SpanId;
            await remote.Increment();
        }

        var span = Assert.Single(recorded, s => s.TraceId == traceId && s.OperationName == RuntimeActivitySource.GrainCallSpanName);
        Assert.Equal(callerSpan, span.ParentSpanId);
        Assert.True(span.HasRemoteParent, "the grain's span took its parent from the request frame");
        Assert.Equal("Increment", span.GetTagItem("rpc.method"));
        Assert.DoesNotContain(span.TagObjects, t => t.Value?.ToString()?.Contains(key!, StringComparison.Ordinal) == true);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("00-not-a-trace")]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-and-then-a-great-deal-more-text-than-any-traceparent-needs")]
    public void A_malformed_traceparent_from_a_peer_is_ignored(string? text) =>
        Assert.Equal(default, TraceContextFormat.Parse(text));

    [Fact]
    public void A_traceparent_round_trips()
    {
        var context = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        var parsed = TraceContextFormat.Parse(TraceContextFormat.Format(context));
        Assert.Equal(context.TraceId, parsed.TraceId);
        Assert.Equal(context.SpanId, parsed.SpanId);
        Assert.Equal(context.TraceFlags, parsed.TraceFlags);
        Assert.True(parsed.IsRemote);
    }
}
