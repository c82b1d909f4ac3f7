using System.Text.Json;
using OpenClaw.EdgeGateway.Tests.Infrastructure;

namespace OpenClaw.EdgeGateway.Tests;

/// <summary>
/// Our frames against the real gateway's (reference transcript): same top-level fields in the
/// same order, the same JSON kinds, and no field the real server does not send.
/// </summary>
public sealed class ReferenceShapeTests
{
    [Fact]
    public async Task Challenge_has_the_reference_shape()
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var client = await server.OpenAsync();

        var ours = await client.ReadChallengeAsync();

        AssertSameShape(ReferenceFrames.Challenge(1), ours);
        AssertSameShape(ReferenceFrames.Challenge(1).GetProperty("payload"), ours.GetProperty("payload"));
    }

    [Fact]
    public async Task Hello_ok_response_has_the_reference_shape()
    {
        await using var server = await EdgeTestServer.StartAsync();
        var (client, ours) = await server.ConnectAsync();
        await using var clientScope = client;
        var reference = ReferenceFrames.ConnectResponse(1);

        AssertSameShape(reference, ours);
        var referenceHello = reference.GetProperty("payload");
        var hello = ours.GetProperty("payload");
        string[] required = ["type", "protocol", "server", "features", "snapshot", "auth", "policy"];
        foreach (var field in required)
        {
            Assert.True(hello.TryGetProperty(field, out var value), $"hello-ok lacks {field}");
            Assert.Equal(referenceHello.GetProperty(field).ValueKind, value.ValueKind);
        }
        AssertSubsetOf(referenceHello, hello, "hello-ok");
        foreach (var nested in new[] { "server", "features", "snapshot", "auth", "policy" })
        {
            AssertSubsetOf(referenceHello.GetProperty(nested), hello.GetProperty(nested), nested);
        }
        AssertSubsetOf(referenceHello.GetProperty("snapshot").GetProperty("stateVersion"), hello.GetProperty("snapshot").GetProperty("stateVersion"), "stateVersion");
        AssertSubsetOf(referenceHello.GetProperty("snapshot").GetProperty("sessionDefaults"), hello.GetProperty("snapshot").GetProperty("sessionDefaults"), "sessionDefaults");
        Assert.Equal(referenceHello.GetProperty("protocol").GetInt32(), hello.GetProperty("protocol").GetInt32());
        Assert.Equal(referenceHello.GetProperty("policy").GetProperty("maxPayload").GetInt64(), hello.GetProperty("policy").GetProperty("maxPayload").GetInt64());
        Assert.Equal(referenceHello.GetProperty("policy").GetProperty("maxBufferedBytes").GetInt64(), hello.GetProperty("policy").GetProperty("maxBufferedBytes").GetInt64());
        Assert.Equal(referenceHello.GetProperty("policy").GetProperty("tickIntervalMs").GetInt64(), hello.GetProperty("policy").GetProperty("tickIntervalMs").GetInt64());
        Assert.Equal(referenceHello.GetProperty("auth").GetProperty("method").GetString(), hello.GetProperty("auth").GetProperty("method").GetString());
        // The methods official clients need (PROTOCOL.md §7) are advertised, as the real gateway does.
        var referenceMethods = referenceHello.GetProperty("features").GetProperty("methods").EnumerateArray().Select(m => m.GetString()).ToHashSet();
        var methods = hello.GetProperty("features").GetProperty("methods").EnumerateArray().Select(m => m.GetString()).ToHashSet();
        string[] needed = ["health", "status", "sessions.list", "sessions.subscribe", "sessions.describe", "chat.history", "chat.send", "chat.abort",
            "agent", "agents.list", "commands.list", "question.list", "plugin.approval.list"];
        Assert.All(needed, m => Assert.Contains(m, referenceMethods));
        Assert.All(needed, m => Assert.Contains(m, methods));
        // So are the events the edge and the chat stream send.
        var referenceEvents = referenceHello.GetProperty("features").GetProperty("events").EnumerateArray().Select(e => e.GetString()).ToHashSet();
        var events = hello.GetProperty("features").GetProperty("events").EnumerateArray().Select(e => e.GetString()).ToHashSet();
        string[] neededEvents = ["connect.challenge", "tick", "shutdown", "chat", "agent", "health", "presence"];
        Assert.All(neededEvents, e => Assert.Contains(e, referenceEvents));
        Assert.All(neededEvents, e => Assert.Contains(e, events));
    }

    [Fact]
    public async Task Response_has_the_reference_shape()
    {
        await using var server = await EdgeTestServer.StartAsync();
        var (client, _) = await server.ConnectAsync();
        await using var clientScope = client;

        var ours = await client.CallAsync("health");

        AssertSameShape(ReferenceFrames.HealthResponse(), ours);
    }

    [Fact]
    public async Task Error_response_has_the_reference_shape()
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var client = await server.OpenAsync();
        await client.ReadChallengeAsync();

        var ours = await client.SendConnectAsync(ConnectRequests.Params("wrong"));

        AssertSameShape(ReferenceFrames.ConnectResponse(5), ours);
        AssertSameShape(ReferenceFrames.ConnectResponse(5).GetProperty("error"), ours.GetProperty("error"));
    }

    [Fact]
    public async Task Event_has_the_reference_shape()
    {
        await using var server = await EdgeTestServer.StartAsync(new Dictionary<string, string?> { ["TickIntervalMs"] = "50" });
        var (client, _) = await server.ConnectAsync();
        await using var clientScope = client;

        var ours = await client.EventAsync("tick");
        var reference = ReferenceFrames.Tick();

        // The 2026.9.6 gateway adds recipientProfileId on operator broadcasts; clients ignore it and we do not send it.
        Assert.Equal(
            Names(reference).Where(n => n != "recipientProfileId"),
            Names(ours));
        AssertSameShape(reference.GetProperty("payload"), ours.GetProperty("payload"));
        Assert.Equal(JsonValueKind.Number, ours.GetProperty("seq").ValueKind);
    }

    /// <summary>Same property names in the same order, with the same JSON kinds.</summary>
    private static void AssertSameShape(JsonElement reference, JsonElement ours)
    {
        Assert.Equal(Names(reference), Names(ours));
        foreach (var property in reference.EnumerateObject())
        {
            Assert.Equal(property.Value.ValueKind, ours.GetProperty(property.Name).ValueKind);
        }
    }

    /// <summary>Every field we send exists in the reference object with the same JSON kind.</summary>
    private static void AssertSubsetOf(JsonElement reference, JsonElement ours, string where)
    {
        foreach (var property in ours.EnumerateObject())
        {
            Assert.True(reference.TryGetProperty(property.Name, out var expected), $"{where}.{property.Name} is not in the reference");
            Assert.Equal(expected.ValueKind, property.Value.ValueKind);
        }
    }

    private static List<string> Names(JsonElement element) => element.EnumerateObject().Select(p => p.Name).ToList();
}
