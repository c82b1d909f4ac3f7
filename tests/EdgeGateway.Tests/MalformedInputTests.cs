using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using OpenClaw.EdgeGateway.Protocol;
using OpenClaw.EdgeGateway.Tests.Infrastructure;

namespace OpenClaw.EdgeGateway.Tests;

/// <summary>
/// Hostile frames: whatever a client sends, it gets INVALID_REQUEST (or the documented close before
/// auth), never a 1011 or an internal error, and its mistakes are logged without stack traces.
/// </summary>
public sealed class MalformedInputTests
{
    [Theory]
    [InlineData("""{"type":"req","id":"\ud800","method":"health"}""", "invalid")]
    [InlineData("""{"type":"req\udfff","id":"s2","method":"health"}""", "s2")]
    [InlineData("""{"type":"req","id":"s3","method":"health\ud800"}""", "s3")]
    [InlineData("""{"type":"req","id":"s4","method":"chat.send","params":{"sessionKey":"agent:main:main","message":"x\ud800y","idempotencyKey":"k"}}""", "s4")]
    [InlineData("""{"type":"req","id":"s5","method":"health","params":{"\udc00":1}}""", "s5")]
    public async Task Lone_surrogates_get_invalid_request_and_the_socket_stays_open(string frame, string expectedId)
    {
        await using var server = await EdgeTestServer.StartAsync();
        var (client, _) = await server.ConnectAsync(scopes: ["operator.write"]);
        await using var clientScope = client;

        await client.SendTextAsync(frame);
        var response = await client.ResponseAsync(expectedId);
        var health = await client.CallAsync("health");

        var error = response.GetProperty("error");
        Assert.Equal("INVALID_REQUEST", error.GetProperty("code").GetString());
        Assert.StartsWith("invalid request frame:", error.GetProperty("message").GetString());
        Assert.True(health.GetProperty("ok").GetBoolean());
        // Nothing of the bad frame reached the grain: only the health call did.
        Assert.Equal("health", Assert.Single(server.Grains.Grain(EdgeTestServer.TenantA).Calls).Call.Method);
        Assert.DoesNotContain(server.Logs.Lines, line => line.Contains("Exception", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"type":"req","id":"c1","method":"connect","params":{"minProtocol":4,"maxProtocol":4,"client":{"id":"\ud800","version":"1","platform":"linux","mode":"cli"},"auth":{"token":"token-tenant-a"}}}""")]
    [InlineData("""{"type":"req","id":"\udbff","method":"connect"}""")]
    [InlineData("""{"type":"req","id":"c3","method":"connect","params":{"minProtocol":4,"maxProtocol":4,"client":{"id":"cli","version":"1","platform":"linux","mode":"cli"},"auth":{"token":"\ud800"}}}""")]
    public async Task Lone_surrogates_in_the_connect_frame_close_1008_not_1011(string frame)
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var client = await server.OpenAsync();
        await client.ReadChallengeAsync();

        await client.SendTextAsync(frame);
        var (status, _) = await client.ClosedAsync();

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.DoesNotContain(client.All, f => f.Text.Contains("internal error", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(server.Logs.Lines, line => line.Contains("Exception", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("\uFEFF{\"type\":\"req\",\"id\":\"b1\",\"method\":\"health\"}", "b1")]
    [InlineData("""{"type":"req","id":"d1","method":"health","params":{"a":1,"a":2}}""", "d1")]
    [InlineData("""{"type":"req","id":"n1","method":"health","params":{"n":1e999999,"m":-123456789012345678901234567890}}""", "n1")]
    public async Task Odd_but_readable_frames_get_exactly_one_response(string frame, string expectedId)
    {
        await using var server = await EdgeTestServer.StartAsync();
        var (client, _) = await server.ConnectAsync();
        await using var clientScope = client;

        await client.SendTextAsync(frame);
        var response = await client.ResponseAsync(expectedId);

        Assert.Equal(expectedId, response.GetProperty("id").GetString());
        Assert.True((await client.CallAsync("health")).GetProperty("ok").GetBoolean());
        Assert.DoesNotContain(server.Logs.Lines, line => line.Contains("Exception", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Deep_nesting_is_an_invalid_request_with_the_salvaged_id()
    {
        await using var server = await EdgeTestServer.StartAsync();
        var (client, _) = await server.ConnectAsync();
        await using var clientScope = client;

        await client.SendTextAsync("""{"type":"req","id":"deep","method":"health","params":""" + new string('[', 5000) + new string(']', 5000) + "}");
        var response = await client.ResponseAsync("deep");

        Assert.Equal("INVALID_REQUEST", response.GetProperty("error").GetProperty("code").GetString());
        Assert.True((await client.CallAsync("health")).GetProperty("ok").GetBoolean());
    }

    [Fact]
    public void Parser_never_throws_on_invalid_utf8_or_surrogates()
    {
        byte[][] frames =
        [
            [0xC3, 0x28],
            Encoding.UTF8.GetBytes("""{"type":"req","id":"x","method":"h""").Concat(new byte[] { 0xFF, 0xFE }).Concat(Encoding.UTF8.GetBytes("\"}")).ToArray(),
            Encoding.UTF8.GetBytes("""{"type":"req","id":"\ud800\ud800","method":"health"}"""),
            Encoding.UTF8.GetBytes("""{"type":"req","id":"ok","method":"health","params":["\udfff"]}"""),
            [0xEF, 0xBB, 0xBF],
            [],
        ];

        foreach (var frame in frames)
        {
            var result = InboundFrameParser.Parse(frame);
            Assert.Null(result.Request);
            Assert.StartsWith("invalid request frame:", result.Error);
        }
        Assert.Equal("ok", InboundFrameParser.Parse(frames[3]).ErrorId);
    }

    [Fact]
    public async Task Client_mistakes_are_logged_without_stack_traces_and_rate_limited()
    {
        await using var server = await EdgeTestServer.StartAsync();
        var (client, _) = await server.ConnectAsync();

        for (var i = 0; i < 200; i++) await client.SendTextAsync("{\"type\":\"req\",\"id\":\"m" + i + "\",\"method\":\"health\\ud800\"}");
        await client.ResponseAsync("m199");
        await client.CloseAsync();
        await client.DisposeAsync();
        await WaitForLogAsync(server, "closed after");

        var invalidFrameLines = server.Logs.Lines.Where(l => l.Contains("invalid frame", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.InRange(invalidFrameLines.Count, 1, 20);
        Assert.Contains(server.Logs.Lines, l => l.Contains("200 invalid frames", StringComparison.Ordinal));
        Assert.DoesNotContain(server.Logs.Lines, l => l.Contains("   at ", StringComparison.Ordinal));
    }

    /// <summary>
    /// A few thousand mutations of valid frames on one socket: the socket stays open, and every
    /// frame whose id a strict reader can read gets a response with that id.
    /// </summary>
    [Fact]
    public async Task Fuzzed_frames_never_close_the_socket_and_every_readable_id_is_answered()
    {
        await using var server = await EdgeTestServer.StartAsync(new Dictionary<string, string?>
        {
            ["MaxConcurrentRequestsPerConnection"] = "100000",
            ["MaxRequestsInFlightPerTenant"] = "100000",
        });
        var (client, _) = await server.ConnectAsync(scopes: ["operator.admin"]);
        await using var clientScope = client;

        var random = new Random(6);
        string[] seeds =
        [
            """{"type":"req","id":"ID","method":"health"}""",
            """{"type":"req","id":"ID","method":"status","params":{}}""",
            """{"type":"req","id":"ID","method":"sessions.list","params":{"limit":5,"search":"ü","activeMinutes":10}}""",
            """{"type":"req","id":"ID","method":"chat.history","params":{"sessionKey":"agent:main:main","limit":20}}""",
            """{"type":"req","id":"ID","method":"no.such","params":[1,2.5,null,true,{"a":"b"}]}""",
        ];
        string[] inserts = ["\\ud800", "\\udfff", "\\u0000", "\"", "\\", "{", "}", "[", "]", ",", ":", "1e99999", "-", "null", "\uFEFF", "ü", "𝄞", " ", "\\x"];

        var expected = new Dictionary<string, int>(StringComparer.Ordinal);
        var frames = new Dictionary<string, string>(StringComparer.Ordinal);
        var sent = 0;
        for (var n = 0; n < 3000; n++)
        {
            var frame = seeds[random.Next(seeds.Length)].Replace("ID", "f" + n, StringComparison.Ordinal);
            var mutations = random.Next(1, 3);
            for (var m = 0; m < mutations; m++) frame = Mutate(frame, random, inserts);
            if (frame.Length == 0) continue;
            if (StrictId(frame) is { } id)
            {
                expected[id] = expected.GetValueOrDefault(id) + 1;
                frames[id] = frame;
            }
            await client.SendTextAsync(frame);
            sent++;
        }
        var marker = await client.CallAsync("health", timeout: TimeSpan.FromSeconds(60));
        Assert.True(marker.GetProperty("ok").GetBoolean());

        // Responses are written in the order the requests complete; wait until each id has its share.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        Dictionary<string, int> received;
        while (true)
        {
            received = client.All.Where(f => f.Json.TryGetProperty("type", out var t) && t.GetString() == "res")
                .GroupBy(f => f.Json.GetProperty("id").GetString()!).ToDictionary(g => g.Key, g => g.Count());
            if (expected.All(e => received.GetValueOrDefault(e.Key) >= e.Value) || DateTime.UtcNow > deadline) break;
            await Task.Delay(50);
        }

        Assert.Equal(WebSocketState.Open, client.Socket.State);
        Assert.True(expected.Count > sent / 5, $"only {expected.Count} of {sent} frames had a readable id");
        var missing = expected.Where(e => received.GetValueOrDefault(e.Key) < e.Value).Select(e => e.Key).Take(5).ToList();
        Assert.True(missing.Count == 0, "no response for: " + string.Join(", ", missing.Select(id => frames[id])));
        Assert.DoesNotContain(client.All, f => f.Text.Contains("internal error", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(server.Logs.Lines, line => line.Contains("   at ", StringComparison.Ordinal));
    }

    private static string Mutate(string frame, Random random, string[] inserts)
    {
        var position = random.Next(frame.Length + 1);
        switch (random.Next(4))
        {
            case 0:
                return frame.Insert(position, inserts[random.Next(inserts.Length)]);
            case 1:
                return position < frame.Length ? frame.Remove(position, Math.Min(random.Next(1, 4), frame.Length - position)) : frame;
            case 2:
                return frame[..position];
            default:
                // Keep the text valid UTF-16 (the WebSocket layer itself rejects invalid UTF-8 text frames).
                if (position >= frame.Length || char.IsSurrogate(frame[position])) return frame;
                return frame[..position] + (char)random.Next(0x20, 0x7F) + frame[(position + 1)..];
        }
    }

    /// <summary>The id a strict reader gets from the frame, or null when the frame or its id is unreadable.</summary>
    private static string? StrictId(string frame)
    {
        try
        {
            using var document = JsonDocument.Parse(frame, new JsonDocumentOptions { MaxDepth = 64 });
            if (document.RootElement.ValueKind != JsonValueKind.Object) return null;
            if (!document.RootElement.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String) return null;
            return id.GetString() is { Length: > 0 } text ? text : null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    internal static async Task WaitForLogAsync(EdgeTestServer server, string fragment)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!server.Logs.Lines.Any(l => l.Contains(fragment, StringComparison.Ordinal)))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no log line with '{fragment}'");
            await Task.Delay(10);
        }
    }
}
