using OpenClaw.Grains.Gateway;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Grains.Tests.UserGrainTests;

namespace OpenClaw.Grains.Tests.Agent;

/// <summary><c>tools</c> and <c>userTimezone</c> through <c>config.patch</c> / <c>config.get</c>.</summary>
public sealed class ToolsConfigTests
{
    [Fact]
    public async Task Tools_and_time_zone_are_patched_merged_and_shown()
    {
        using var harness = GatewayHarness.Create();

        await harness.OkAsync("config.patch", new { raw = new { tools = new { profile = "Coding", deny = new[] { "exec", "group:nodes" } }, userTimezone = "Europe/Berlin" } });
        await harness.OkAsync("config.patch", new { raw = new { tools = new { allow = new[] { "read", "memory_*" } } } });

        var config = (await harness.OkAsync("config.get")).GetProperty("config");
        Assert.Equal("Europe/Berlin", config.GetProperty("userTimezone").GetString());
        var tools = config.GetProperty("tools");
        Assert.Equal("coding", tools.GetProperty("profile").GetString());
        Assert.Equal(["exec", "group:nodes"], tools.GetProperty("deny").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["read", "memory_*"], tools.GetProperty("allow").EnumerateArray().Select(e => e.GetString()));

        await harness.OkAsync("config.patch", new { raw = new { tools = new { deny = (string[]?)null } } });
        Assert.Null(await harness.Read(c => c.Config.Tools!.Deny));
        await harness.CallAsync("config.patch", """{"raw":{"tools":null,"userTimezone":null}}""");
        var cleared = (await harness.OkAsync("config.get")).GetProperty("config");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, cleared.GetProperty("tools").GetProperty("profile").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, cleared.GetProperty("tools").GetProperty("deny").ValueKind);
        Assert.True(await harness.Read(c => c.State.Profile.Config.IsEmpty));
    }

    [Theory]
    [InlineData("""{"raw":{"tools":"all"}}""", "'raw.tools' must be an object {profile, allow, deny} or null")]
    [InlineData("""{"raw":{"tools":{"profile":"everything"}}}""", "'raw.tools.profile' must be one of minimal, coding, messaging, full")]
    [InlineData("""{"raw":{"tools":{"allow":"read"}}}""", "'raw.tools.allow' must be an array of strings or null")]
    [InlineData("""{"raw":{"tools":{"deny":[1]}}}""", "'raw.tools.deny' must be an array of strings")]
    [InlineData("""{"raw":{"tools":{"deny":["rm -rf"]}}}""", "'raw.tools.deny[0]' must be a tool name, a '*' pattern or a group:… name of at most 100 characters")]
    [InlineData("""{"raw":{"tools":{"elevated":true}}}""", "unknown config key 'raw.tools.elevated' (known: profile, allow, deny, exec)")]
    [InlineData("""{"raw":{"userTimezone":"Mars/Olympus_Mons"}}""", "'raw.userTimezone' must be an IANA time zone such as Europe/Berlin (got \"Mars/Olympus_Mons\")")]
    [InlineData("""{"raw":{"userTimezone":"../../etc/localtime"}}""", "'raw.userTimezone' must be an IANA time zone such as Europe/Berlin (got \"../../etc/localtime\")")]
    public async Task Invalid_values_are_refused_and_change_nothing(string paramsJson, string problem)
    {
        using var harness = GatewayHarness.Create();

        var reply = await harness.CallAsync("config.patch", paramsJson);

        Assert.Equal(GatewayErrorCodes.InvalidRequest, reply.Error?.Code);
        Assert.Equal($"invalid config.patch params: {problem}", reply.Error!.Message);
        Assert.True(await harness.Read(c => c.State.Profile.Config.IsEmpty));
    }

    [Fact]
    public async Task Overlong_lists_are_refused()
    {
        using var harness = GatewayHarness.Create();
        var many = Enumerable.Range(0, 65).Select(i => $"tool{i}").ToArray();

        var reply = await harness.CallAsync("config.patch", new { raw = new { tools = new { allow = many } } });

        Assert.Equal("invalid config.patch params: 'raw.tools.allow' must NOT have more than 64 items", reply.Error!.Message);
    }

    [Fact]
    public async Task The_tenants_policy_survives_a_restart()
    {
        var storage = new TestStateStorage();
        using (var harness = GatewayHarness.Create(storage: storage))
        {
            await harness.OkAsync("config.patch", new { raw = new { tools = new { profile = "minimal", deny = new[] { "exec" } } } });
        }

        using var again = GatewayHarness.Create(storage: storage);
        var tools = await again.Read(c => c.Config.Tools);
        Assert.Equal("minimal", tools!.Profile);
        Assert.Equal(["exec"], tools.Deny!);
    }
}
