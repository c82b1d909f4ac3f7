using Microsoft.Extensions.Options;
using OpenClaw.EdgeGateway.Protocol;
using OpenClaw.EdgeGateway.Tests.Infrastructure;

namespace OpenClaw.EdgeGateway.Tests;

public sealed class OptionsTests
{
    [Fact]
    public void Defaults_are_the_protocol_values()
    {
        var options = new EdgeGatewayOptions();

        Assert.Equal("/", options.Path);
        Assert.Equal(30_000, options.TickIntervalMs);
        Assert.Equal(15_000, options.HandshakeTimeoutMs);
        Assert.Equal(65_536, options.MaxPreAuthPayloadBytes);
        Assert.Equal(26_214_400, options.MaxPayloadBytes);
        Assert.Equal(52_428_800, options.MaxBufferedBytes);
        Assert.Equal(TimeSpan.FromMinutes(1), options.EffectiveSubscriptionRenewalInterval);
        Assert.True(new EdgeGatewayOptionsValidator().Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData("TickIntervalMs", "0")]
    [InlineData("MaxPayloadBytes", "100")]
    [InlineData("MaxPreAuthPayloadBytes", "999999999")]
    [InlineData("TokenCacheTtlMs", "600000")]
    [InlineData("Path", "gateway")]
    [InlineData("SubscriptionRenewalIntervalMs", "900000")]
    [InlineData("AuthMaxDelayMs", "20000")]
    [InlineData("MaxBytesInFlightPerTenant", "1024")]
    [InlineData("MaxConnectionsPerTenant", "0")]
    [InlineData("MaxRequestsInFlightPerTenant", "0")]
    [InlineData("TrustedProxies:0", "not-an-address")]
    public async Task Invalid_settings_stop_the_host_from_starting(string key, string value)
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => EdgeTestServer.StartAsync(new Dictionary<string, string?> { [key] = value }));

        Assert.IsType<OptionsValidationException>(failure);
        Assert.Contains(key, failure.Message);
    }

    [Fact]
    public void Close_reasons_are_cut_to_123_bytes_on_a_character_boundary()
    {
        var reason = CloseReasons.Truncate(new string('é', 100));

        Assert.True(System.Text.Encoding.UTF8.GetByteCount(reason) <= 123);
        Assert.Equal(61, reason.Length);
    }
}
