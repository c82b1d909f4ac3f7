using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OpenClaw.Grains.ControlPlane.Monitor;
using OpenClaw.Grains.ControlPlane.Monitor.Webhooks;
using OpenClaw.Grains.Interfaces;
using static OpenClaw.Grains.Tests.ControlPlane.Monitor.FakeClusterStatsReader;

namespace OpenClaw.Grains.Tests.ControlPlane.Monitor;

/// <summary>Alerts POSTed to real HTTP receivers on 127.0.0.1: signature, formats, retries, a dead receiver.</summary>
public sealed class WebhookDeliveryTests
{
    private const string Secret = "receiver-shared-secret-0123456789";

    [Fact]
    public async Task The_receiver_gets_the_alert_as_json_and_the_hmac_of_the_exact_body_verifies_with_the_secret()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var harness = await StartAsync(receiver.Url, AlertWebhookFormat.Json);
        harness.Stats.Set(Silo("s1", workingSetMb: 600));
        var alert = Assert.Single(await harness.StepAsync(2));

        await Eventually.WaitAsync(() => receiver.Received.Count == 1, "the webhook POST");
        var request = receiver.Received[0];
        Assert.Equal("POST", request.Method);
        Assert.Equal("/hooks/alerts", request.Path);
        Assert.StartsWith("application/json", request.Headers["Content-Type"], StringComparison.Ordinal);

        var timestamp = request.Headers[WebhookSignature.TimestampHeader];
        Assert.Equal(harness.Silo.Time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), timestamp);
        Assert.Equal(ExpectedSignature(Secret, timestamp, request.Body), request.Headers[WebhookSignature.SignatureHeader]);
        Assert.NotEqual(ExpectedSignature("some-other-secret-0123456789", timestamp, request.Body), request.Headers[WebhookSignature.SignatureHeader]);
        var tampered = request.Body.ToArray();
        tampered[^2] ^= 1;
        Assert.NotEqual(ExpectedSignature(Secret, timestamp, tampered), request.Headers[WebhookSignature.SignatureHeader]);

        using var json = JsonDocument.Parse(request.Body);
        var root = json.RootElement;
        Assert.Equal("alert.raised", root.GetProperty("event").GetString());
        Assert.Equal("alert.raised", request.Headers[WebhookSignature.EventHeader]);
        Assert.Equal(request.Headers[WebhookSignature.DeliveryHeader], root.GetProperty("deliveryId").GetString());
        var sent = root.GetProperty("alert");
        Assert.Equal(alert.Id, sent.GetProperty("id").GetString());
        Assert.Equal("memory", sent.GetProperty("rule").GetString());
        Assert.Equal("Warning", sent.GetProperty("severity").GetString());
        Assert.Equal("s1", sent.GetProperty("subject").GetString());
        Assert.Equal(600, sent.GetProperty("value").GetDouble());
        Assert.Equal(512, sent.GetProperty("threshold").GetDouble());

        harness.Stats.Set(Silo("s1", workingSetMb: 100));
        await harness.StepAsync(3);
        await Eventually.WaitAsync(() => receiver.Received.Count == 2, "the resolved POST");
        using var resolved = JsonDocument.Parse(receiver.Received[1].Body);
        Assert.Equal("alert.resolved", resolved.RootElement.GetProperty("event").GetString());
        Assert.Equal(alert.Id, resolved.RootElement.GetProperty("alert").GetProperty("id").GetString());
        Assert.True(resolved.RootElement.GetProperty("alert").TryGetProperty("resolvedAt", out _));
        Assert.Equal(100, resolved.RootElement.GetProperty("currentValue").GetDouble());
    }

    [Fact]
    public async Task The_slack_format_is_an_incoming_webhook_message_with_outside_text_escaped()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var harness = await StartAsync(receiver.Url, AlertWebhookFormat.Slack);
        harness.Sync.Failures(3, "backend said <!channel> see <http://evil.example|here> & more");
        Assert.Single(await harness.StepAsync());

        await Eventually.WaitAsync(() => receiver.Received.Count == 1, "the Slack POST");
        using var json = JsonDocument.Parse(receiver.Received[0].Body);
        var root = json.RootElement;
        var text = root.GetProperty("text").GetString()!;
        Assert.Contains("config-sync", text, StringComparison.Ordinal);
        Assert.Contains("&lt;!channel&gt;", text, StringComparison.Ordinal);
        Assert.Contains("&amp; more", text, StringComparison.Ordinal);

        var blocks = root.GetProperty("blocks").EnumerateArray().ToList();
        Assert.Equal(["header", "section", "context"], blocks.Select(b => b.GetProperty("type").GetString()));
        Assert.Equal("plain_text", blocks[0].GetProperty("text").GetProperty("type").GetString());
        Assert.True(blocks[0].GetProperty("text").GetProperty("text").GetString()!.Length <= 150);
        Assert.Equal("mrkdwn", blocks[1].GetProperty("text").GetProperty("type").GetString());
        var fields = blocks[1].GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("text").GetString()!).ToList();
        Assert.Contains(fields, f => f.Contains("Critical", StringComparison.Ordinal));
        Assert.Contains(fields, f => f.Contains("3 (threshold 3)", StringComparison.Ordinal));

        // Nothing that Slack would turn into a mention or a link.
        var raw = Encoding.UTF8.GetString(receiver.Received[0].Body);
        Assert.DoesNotContain("<!channel>", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("<http://evil", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u003C!channel", raw, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(ExpectedSignature(Secret, receiver.Received[0].Headers[WebhookSignature.TimestampHeader], receiver.Received[0].Body),
            receiver.Received[0].Headers[WebhookSignature.SignatureHeader]);
    }

    [Fact]
    public async Task A_receiver_answering_500_gets_retries_with_doubling_backoff_up_to_the_cap_and_the_silo_keeps_serving()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Status = 500;
        await using var harness = await StartAsync(receiver.Url, AlertWebhookFormat.Json, maxAttempts: 3);
        var initial = TimeSpan.FromMilliseconds(harness.Options.Delivery.InitialBackoffMs);
        harness.Sync.Failures(3);
        Assert.Single(await harness.StepAsync());

        await WaitForRetryAsync(harness, attempts: 1);
        Assert.Equal(harness.Silo.Time.GetUtcNow() + initial, harness.Webhooks.Status()[0].NextAttemptAt);
        harness.Silo.Time.Advance(initial - TimeSpan.FromMilliseconds(1));
        Assert.Single(receiver.Received);

        // Meanwhile the monitor evaluates and the silo answers other calls.
        Assert.Single(await harness.Monitor.EvaluateNow());
        Assert.Equal(7, await harness.Silo.GrainFactory.GetGrain<IClusterProbeGrain>("probe").Echo(7));

        harness.Silo.Time.Advance(TimeSpan.FromMilliseconds(1));
        await WaitForRetryAsync(harness, attempts: 2);
        Assert.Equal(2, receiver.Received.Count);
        Assert.Equal(harness.Silo.Time.GetUtcNow() + (2 * initial), harness.Webhooks.Status()[0].NextAttemptAt);

        harness.Silo.Time.Advance(2 * initial);
        await Eventually.WaitAsync(() => harness.Webhooks.Status()[0].Failed == 1, "the delivery to be given up after 3 attempts");
        var status = harness.Webhooks.Status()[0];
        Assert.Equal((3L, 0L, 1L, "HTTP 500"), (status.Attempts, status.Delivered, status.Failed, status.LastError));
        Assert.Equal(3, receiver.Received.Count);
        Assert.Single(receiver.Received.Select(r => r.Headers[WebhookSignature.DeliveryHeader]).Distinct());
        Assert.Contains(harness.Logs.Entries, e => e.EventId == 3421);
        Assert.Contains(harness.Logs.Entries, e => e.EventId == 3422);
    }

    [Fact]
    public async Task A_receiver_that_is_down_gets_retries_and_neither_the_monitor_nor_the_silo_waits_for_it()
    {
        await using var harness = await StartAsync(WebhookReceiver.RefusingUrl(), AlertWebhookFormat.Json, maxAttempts: 4);
        harness.Sync.Failures(3);
        Assert.Single(await harness.StepAsync());

        await WaitForRetryAsync(harness, attempts: 1);
        Assert.NotNull(harness.Webhooks.Status()[0].LastError);
        for (var i = 0; i < 5; i++)
        {
            harness.Sync.Failures(i % 2 == 0 ? 0 : 3);
            await harness.StepAsync();
            Assert.Equal(42, await harness.Silo.GrainFactory.GetGrain<IClusterProbeGrain>("probe").Echo(42));
        }

        // Moving the clock past each backoff lets the retries go on.
        await Eventually.WaitAsync(() =>
        {
            harness.Silo.Time.Advance(harness.Interval);
            return harness.Webhooks.Status()[0].Attempts >= 3;
        }, "more attempts against the dead receiver");
        Assert.Equal(0, harness.Webhooks.Status()[0].Delivered);
    }

    [Fact]
    public async Task When_the_queue_of_a_dead_receiver_is_full_new_deliveries_are_dropped_and_counted()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Status = 503;
        await using var harness = await StartAsync(receiver.Url, AlertWebhookFormat.Json, maxAttempts: 5, queueCapacity: 2, configure: o => o.Rules.Memory.RaiseAfter = 1);
        harness.Stats.Set(Enumerable.Range(1, 6).Select(i => Silo($"s{i}", workingSetMb: 900)).ToList());
        Assert.Equal(6, (await harness.StepAsync()).Count);

        await Eventually.WaitAsync(() => harness.Webhooks.Status()[0] is { Enqueued: > 0 } s && s.Enqueued + s.Dropped == 6, "all six to be queued or dropped");
        var status = harness.Webhooks.Status()[0];
        Assert.InRange(status.Dropped, 3, 4);
        Assert.Contains(harness.Logs.Entries, e => e.EventId == 3420);

        // The monitor is not held up by the full queue.
        harness.Stats.Set(Enumerable.Range(1, 6).Select(i => Silo($"s{i}", workingSetMb: 100)).ToList());
        Assert.Empty(await harness.StepAsync(3));
        Assert.True(harness.Webhooks.Status()[0].Dropped >= status.Dropped + 4);
    }

    [Fact]
    public async Task A_permanent_refusal_is_not_retried()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Status = 404;
        await using var harness = await StartAsync(receiver.Url, AlertWebhookFormat.Json);
        harness.Sync.Failures(3);
        await harness.StepAsync();
        await Eventually.WaitAsync(() => harness.Webhooks.Status()[0].Failed == 1, "the delivery to fail");
        Assert.Single(receiver.Received);
        Assert.Equal(1, harness.Webhooks.Status()[0].Attempts);
    }

    private static Task<MonitorHarness> StartAsync(string url, AlertWebhookFormat format, int maxAttempts = 3, int queueCapacity = 100,
        Action<MonitorOptions>? configure = null) =>
        MonitorHarness.StartAsync(o =>
        {
            o.Webhooks.Add(new AlertWebhookOptions { Url = url, Secret = Secret, Format = format });
            o.Delivery.MaxAttempts = maxAttempts;
            o.Delivery.QueueCapacity = queueCapacity;
            configure?.Invoke(o);
        });

    private static Task WaitForRetryAsync(MonitorHarness harness, int attempts) =>
        Eventually.WaitAsync(() => harness.Webhooks.Status()[0] is { NextAttemptAt: not null } s && s.Attempts == attempts,
            $"attempt {attempts} to fail and a retry to be scheduled");

    /// <summary>What a receiver computes (written here independently of the product's signer).</summary>
    private static string ExpectedSignature(string secret, string timestamp, byte[] body)
    {
        var signed = Encoding.ASCII.GetBytes(timestamp + ".").Concat(body).ToArray();
        return "sha256=" + Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed)).ToLowerInvariant();
    }
}
