using OpenClaw.Grains.Interfaces;
using OpenClaw.Grains.Tests.UserGrainTests;

namespace OpenClaw.Grains.Tests.Egress;

/// <summary>
/// The SSRF cases of the web_fetch attack list that the existing <c>config.patch</c> baseUrl tests
/// (ConfigMethodTests) and provider tests (ProviderErrorExposureTests, EgressHttpClientTests) did
/// not cover yet: the shortened hex form, user-info that looks like the host, and IPv4 spelled as
/// a full IPv6 or with non-ASCII digits.
/// </summary>
public sealed class LlmBaseUrlAttackTests
{
    private const string Internal = "invalid config.patch params: 'raw.baseUrl' is not allowed: it points to a private or internal address";
    private const string Credentials = "invalid config.patch params: 'raw.baseUrl' must not contain credentials; use 'raw.apiKey'";

    [Theory]
    [InlineData("http://0x7f.1/v1", Internal)]
    [InlineData("http://0x7f.0x0.0x0.0x1/v1", Internal)]
    [InlineData("http://[0:0:0:0:0:ffff:7f00:1]/v1", Internal)]
    [InlineData("http://[0000:0000:0000:0000:0000:0000:0000:0001]/v1", Internal)]
    [InlineData("http://169.254.169.254./latest/", Internal)]
    [InlineData("http://api.openai.com@127.0.0.1/v1", Credentials)]
    [InlineData("http://api.openai.com:443@169.254.169.254/", Credentials)]
    [InlineData("http://%61pi.openai.com@127.0.0.1/v1", Credentials)]
    public async Task More_notations_of_internal_addresses_are_refused(string url, string expected)
    {
        using var harness = GatewayHarness.Create();

        var reply = await harness.CallAsync("config.patch", new { raw = new { baseUrl = url } });

        Assert.Equal(GatewayErrorCodes.InvalidRequest, reply.Error?.Code);
        Assert.Equal(expected, reply.Error!.Message);
        Assert.True(await harness.Read(c => c.State.Profile.Config.IsEmpty));
    }

    [Fact]
    public async Task Ipv4_with_full_width_digits_stays_a_name_that_is_checked_when_connecting()
    {
        using var harness = GatewayHarness.Create();

        var reply = await harness.CallAsync("config.patch", new { raw = new { baseUrl = "http://\uff11\uff12\uff17.\uff10.\uff10.\uff11/v1" } });

        // .NET keeps it as an IDN name (xn--…), not 127.0.0.1: the connect-time check resolves and checks it like any name.
        Assert.True(reply.Ok);
        Assert.StartsWith("xn--", new Uri(await harness.Read(c => c.Config.BaseUrl!)).IdnHost);
    }
}
