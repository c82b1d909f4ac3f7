using System.Diagnostics;
using OpenClaw.EdgeGateway.Diagnostics;
using OpenClaw.Runtime.Diagnostics;

namespace OpenClaw.Silo.Tests.Telemetry;

[Collection(TelemetryCollection.Name)]
public sealed class TracingTests
{
    private static readonly Dictionary<string, string?> Tracing = new()
    {
        ["telemetry:tracingEnabled"] = "true",
        ["telemetry:tracingSampleRatio"] = "1",
        // Tenant t0 talks to an OpenAI-compatible provider on a closed port: the run fails, its HTTP request is still a span.
        ["tenants:0:provider"] = "openai",
        ["tenants:0:model"] = "gpt-test",
        ["tenants:0:apiKey"] = "sk-trace-test-key",
        ["tenants:0:baseUrl"] = "http://127.0.0.1:9/v1",
    };

    [Fact]
    public async Task One_trace_follows_a_request_from_the_socket_through_the_grain_to_the_provider_http_call()
    {
        var spans = new List<Activity>();
        await using var silo = await TelemetrySilo.StartAsync(Tracing, spans: spans);
        await using (var client = await silo.ConnectAsync(TelemetrySilo.TenantToken))
        {
            await MetricsEndpointTests.ChatAsync(client, "trace me");
            await client.CloseAsync();
        }

        // Spans are exported when they end; the provider's ends before the run's final event.
        var snapshot = await WaitForAsync(spans, all => ChatTrace(all) is { } trace
            && trace.Any(s => s.Source.Name == "OpenClaw.Grains")
            && trace.Any(s => s.OperationName.StartsWith("System.Net.Http", StringComparison.Ordinal) || s.Source.Name == "System.Net.Http"));
        var trace = ChatTrace(snapshot)!;

        var edge = Assert.Single(trace, s => s.OperationName == EdgeInstruments.RequestSpanName);
        Assert.Equal("chat.send", edge.GetTagItem("rpc.method"));
        Assert.Equal(default, edge.ParentSpanId);
        var grain = Assert.Single(trace, s => s.OperationName == RuntimeActivitySource.GrainCallSpanName && s.ParentSpanId == edge.SpanId);
        Assert.Equal("user", grain.GetTagItem("grain.type"));
        var provider = Assert.Single(trace, s => s.Source.Name == "OpenClaw.Grains");
        Assert.Equal(grain.SpanId, provider.ParentSpanId);
        Assert.Equal(ActivityStatusCode.Error, provider.Status);
        var http = Assert.Single(trace, s => s.Kind == ActivityKind.Client && s.Source.Name != "OpenClaw.Grains");
        Assert.Equal(provider.SpanId, http.ParentSpanId);

        // No attribute carries the tenant id, its token or its key.
        Assert.DoesNotContain(trace.SelectMany(s => s.TagObjects), t => t.Value?.ToString() is { } v
            && (v == "t0" || v.Contains(TelemetrySilo.TenantToken, StringComparison.Ordinal) || v.Contains("sk-trace-test-key", StringComparison.Ordinal)));
    }

    /// <summary>The spans of the trace whose edge span is the chat.send request (other tests' spans may be here too).</summary>
    private static List<Activity>? ChatTrace(List<Activity> all)
    {
        var edge = all.FirstOrDefault(s => s.OperationName == EdgeInstruments.RequestSpanName && (string?)s.GetTagItem("rpc.method") == "chat.send");
        return edge is null ? null : all.Where(s => s.TraceId == edge.TraceId).ToList();
    }

    private static async Task<List<Activity>> WaitForAsync(List<Activity> spans, Func<List<Activity>, bool> condition)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            List<Activity> snapshot;
            lock (spans) snapshot = [.. spans];
            if (condition(snapshot)) return snapshot;
            try
            {
                await Task.Delay(50, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail("spans: " + string.Join("; ", snapshot.Select(s => $"{s.Source.Name}/{s.OperationName} {s.TraceId}/{s.SpanId}<-{s.ParentSpanId}")));
            }
        }
    }
}
