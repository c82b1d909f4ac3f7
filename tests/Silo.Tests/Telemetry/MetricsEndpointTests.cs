using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OpenClaw.EdgeGateway.Tests.Infrastructure;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Runtime;

namespace OpenClaw.Silo.Tests.Telemetry;

[Collection(TelemetryCollection.Name)]
public sealed class MetricsEndpointTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_chat_run_shows_in_the_runtime_edge_and_grain_series()
    {
        await using var silo = await TelemetrySilo.StartAsync();
        await using (var client = await silo.ConnectAsync(TelemetrySilo.TenantToken))
        {
            await ChatAsync(client, "hello metrics");
            await client.CloseAsync();
        }

        var metrics = await silo.ScrapeAsync();

        AssertType(metrics, "openclaw_grain_calls_total", "counter");
        AssertType(metrics, "openclaw_grain_call_duration_seconds", "histogram");
        AssertType(metrics, "openclaw_grain_activations", "gauge");
        AssertType(metrics, "openclaw_chat_runs_total", "counter");
        AssertType(metrics, "openclaw_provider_request_duration_seconds", "histogram");
        AssertType(metrics, "openclaw_edge_connections_open", "gauge");
        Assert.True(metrics.Help.ContainsKey("openclaw_grain_calls_total"));

        var userCalls = Assert.Single(metrics.Named("openclaw_grain_calls_total"), s => s.Labels.GetValueOrDefault("grain_type") == "user");
        Assert.True(userCalls.Value >= 2, $"grain calls {userCalls.Value}"); // the chat.send and its final
        Assert.Contains(metrics.Named("openclaw_grain_call_duration_seconds_bucket"), s => s.Labels.GetValueOrDefault("le") == "+Inf" && s.Value >= userCalls.Value);
        Assert.Equal(1, Assert.Single(metrics.Named("openclaw_grain_activations"), s => s.Labels.GetValueOrDefault("grain_type") == "user").Value);
        Assert.Equal(1, Assert.Single(metrics.Named("openclaw_chat_runs_total"), s => s.Labels.GetValueOrDefault("outcome") == "ok").Value);
        Assert.Equal(1, Assert.Single(metrics.Named("openclaw_provider_request_duration_seconds_count"),
            s => s.Labels.GetValueOrDefault("provider") == "echo" && s.Labels.GetValueOrDefault("outcome") == "ok").Value);
        Assert.Contains(metrics.Named("openclaw_provider_tokens_total"), s => s.Labels.GetValueOrDefault("token_type") == "output" && s.Value > 0);
        Assert.Equal(1, Assert.Single(metrics.Named("openclaw_edge_handshakes_total"), s => s.Labels.GetValueOrDefault("outcome") == "accepted").Value);
        Assert.True(Assert.Single(metrics.Named("openclaw_edge_frames_received_total")).Value >= 1);
        Assert.True(Assert.Single(metrics.Named("openclaw_edge_frames_sent_total")).Value >= 3);
        Assert.Contains(metrics.Named("openclaw_edge_request_duration_seconds_count"), s => s.Labels.GetValueOrDefault("method") == "chat.send");
        Assert.Equal(1, Assert.Single(metrics.Named("openclaw_edge_connections_closed_total"), s => s.Labels.GetValueOrDefault("close_code") == "1000").Value);

        // Nothing identifies a tenant.
        Assert.DoesNotContain(metrics.Samples, s => s.Labels.Values.Any(v => v.Contains("t0", StringComparison.Ordinal) || v.Contains(TelemetrySilo.TenantToken, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Refused_handshakes_count_by_outcome_and_as_auth_failures()
    {
        await using var silo = await TelemetrySilo.StartAsync();
        await using (var client = new GatewayTestClient())
        {
            await client.ConnectAsync(silo.WebSocketUri);
            await client.ReadChallengeAsync();
            var refused = await client.SendConnectAsync(ConnectRequests.Params("not-the-token-of-anyone"));
            Assert.False(refused.GetProperty("ok").GetBoolean());
            await client.ClosedAsync();
        }

        var metrics = await WaitForAsync(silo, m => m.Named("openclaw_edge_connections_closed_total").Any());
        Assert.Equal(1, Assert.Single(metrics.Named("openclaw_edge_handshakes_total"), s => s.Labels["outcome"] == "AUTH_TOKEN_MISMATCH").Value);
        Assert.Equal(1, Assert.Single(metrics.Named("openclaw_edge_auth_failures_total")).Value);
        Assert.Equal(1, Assert.Single(metrics.Named("openclaw_edge_connections_closed_total"), s => s.Labels["close_code"] == "1008").Value);
    }

    [Fact]
    public async Task The_series_are_the_same_with_one_tenant_active_and_with_a_thousand()
    {
        const int Tenants = 1000;
        await using var silo = await TelemetrySilo.StartAsync(extraTenants: Tenants - 1, settings: new Dictionary<string, string?> { ["telemetry:platformMetrics"] = "false" });
        var grains = silo.Services.GetRequiredService<IGrainFactory>();

        await ExerciseAsync(silo, grains, [0]);
        var one = (await silo.ScrapeAsync()).Samples.Where(s => s.Name.StartsWith("openclaw_", StringComparison.Ordinal)).Select(s => s.Series).ToHashSet();

        await ExerciseAsync(silo, grains, Enumerable.Range(1, Tenants - 1).ToArray());
        // The exporter may answer a scrape from its short response cache: wait for one taken after the activations.
        var scrape = await WaitForAsync(silo, m => m.Named("openclaw_grain_activations").Any(s => s.Labels["grain_type"] == "user" && s.Value == Tenants));
        var thousand = scrape.Samples.Where(s => s.Name.StartsWith("openclaw_", StringComparison.Ordinal)).Select(s => s.Series).ToHashSet();

        Assert.Equal(one.Order(), thousand.Order());
        Assert.True(one.Count > 20, $"only {one.Count} series");
    }

    [Fact]
    public async Task A_metrics_token_keeps_the_endpoint_closed_to_requests_without_it()
    {
        const string Token = "scrape-token-0123456789abcdef";
        await using var silo = await TelemetrySilo.StartAsync(new Dictionary<string, string?> { ["telemetry:metricsToken"] = Token });
        using var http = silo.Http();

        using var anonymous = await http.GetAsync("metrics");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "metrics") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", Token + "x") } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(wrong)).StatusCode);
        using var right = new HttpRequestMessage(HttpMethod.Get, "metrics") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", Token) } };
        using var response = await http.SendAsync(right);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(PrometheusText.Parse(await response.Content.ReadAsStringAsync()).Types.Keys, k => k.StartsWith("openclaw_", StringComparison.Ordinal));
    }

    /// <summary>
    /// The same kinds of work for each tenant set: one socket that chats and closes (a few tenants),
    /// and a grain call for each tenant (activates it).
    /// </summary>
    private static async Task ExerciseAsync(TelemetrySilo silo, IGrainFactory grains, int[] tenants)
    {
        foreach (var tenant in tenants.Take(3))
        {
            await using var client = await silo.ConnectAsync(TelemetrySilo.TokenOf(tenant));
            await ChatAsync(client, "tenant " + tenant);
            await client.CloseAsync();
        }
        await Parallel.ForEachAsync(tenants, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (tenant, ct) =>
        {
            var reply = await grains.GetGrain<IUserGrain>("t" + tenant).Invoke(new GatewayCall
            {
                Method = "health",
                ParamsJson = "{}",
                RequestId = "r" + tenant,
                ConnectionId = "c" + tenant,
                Scopes = ["operator.read"],
                ClientId = "cli",
                ClientMode = "cli",
            }, ct);
            Assert.True(reply.Ok);
        });
        // Sockets are counted closed when their edge connection finished; wait for it.
        await WaitForAsync(silo, m => m.Named("openclaw_edge_connections_open").All(s => s.Value == 0));
    }

    internal static async Task ChatAsync(GatewayTestClient client, string message)
    {
        var runId = Guid.NewGuid().ToString();
        var ack = await client.CallAsync("chat.send", new JsonObject { ["sessionKey"] = "agent:main:main", ["message"] = message, ["idempotencyKey"] = runId });
        Assert.True(ack.GetProperty("ok").GetBoolean(), ack.ToString());
        await client.WaitForAsync(f =>
            f.TryGetProperty("event", out var e) && e.GetString() == "chat"
            && f.GetProperty("payload").GetProperty("runId").GetString() == runId
            && f.GetProperty("payload").GetProperty("state").GetString() is "final" or "error", RunTimeout);
    }

    private static async Task<PrometheusText> WaitForAsync(TelemetrySilo silo, Func<PrometheusText, bool> condition)
    {
        using var deadline = new CancellationTokenSource(RunTimeout);
        while (true)
        {
            var metrics = await silo.ScrapeAsync();
            if (condition(metrics)) return metrics;
            await Task.Delay(50, deadline.Token);
        }
    }

    private static void AssertType(PrometheusText metrics, string family, string type)
    {
        Assert.True(metrics.Types.TryGetValue(family, out var actual), $"no TYPE line for {family}; families: {string.Join(", ", metrics.Types.Keys.Where(k => k.StartsWith("openclaw", StringComparison.Ordinal)))}");
        Assert.Equal(type, actual);
    }
}
