using System.Text.Json.Nodes;

namespace OpenClaw.EdgeGateway.Tests.EndToEnd;

/// <summary>
/// Finding 3: tenant tokens must be strong enough that guessing is hopeless. Outside Development
/// and Testing a weak configured token stops the silo from starting (unless explicitly allowed).
/// </summary>
public sealed class WeakTokenTests
{
    private static readonly string StrongAlice = "alice-" + Guid.NewGuid().ToString("N");
    private static readonly string StrongBob = "bob-" + Guid.NewGuid().ToString("N");
    private static readonly string StrongCarol = "carol-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task A_weak_configured_token_stops_a_production_silo_from_starting()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => SiloTestServer.StartAsync(environment: "Production",
            settings: Tokens(alice: "alice-token")));

        Assert.Contains("tenants[0]", failure.Message);
        Assert.Contains("alice", failure.Message);
        Assert.Contains("at least 32", failure.Message);
        Assert.DoesNotContain("alice-token", failure.Message);
    }

    [Theory]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("passwordpasswordpasswordpassword")]
    public async Task A_long_but_repetitive_token_is_weak_too(string token)
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => SiloTestServer.StartAsync(environment: "Production",
            settings: Tokens(bob: token)));

        Assert.Contains("tenants[1]", failure.Message);
    }

    [Fact]
    public async Task A_weak_demo_token_stops_a_production_silo_from_starting()
    {
        var settings = Tokens();
        settings["demo:enabled"] = "true";
        settings["demo:token"] = "demo-secret";

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => SiloTestServer.StartAsync(environment: "Production", settings: settings));

        Assert.Contains("demo", failure.Message);
        Assert.DoesNotContain("demo-secret", failure.Message);
    }

    [Fact]
    public async Task Strong_tokens_start_and_connect_in_production()
    {
        await using var silo = await SiloTestServer.StartAsync(environment: "Production", settings: Tokens());
        await using var alice = await silo.ConnectAsync(StrongAlice);

        Assert.True((await alice.CallAsync("health", new JsonObject())).GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task Weak_tokens_can_be_allowed_explicitly()
    {
        var settings = Tokens(alice: SiloTestServer.AliceToken);
        settings["security:allowWeakTokens"] = "true";
        await using var silo = await SiloTestServer.StartAsync(environment: "Production", settings: settings);
        await using var alice = await silo.ConnectAsync(SiloTestServer.AliceToken);

        Assert.True((await alice.CallAsync("health", new JsonObject())).GetProperty("ok").GetBoolean());
    }

    private static Dictionary<string, string?> Tokens(string? alice = null, string? bob = null) => new()
    {
        ["tenants:0:token"] = alice ?? StrongAlice,
        ["tenants:1:token"] = bob ?? StrongBob,
        ["tenants:2:token"] = StrongCarol,
    };
}
