using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenClaw.Grains.Egress;

namespace OpenClaw.Grains.Tests.Egress;

public sealed class EgressOptionsValidatorTests
{
    [Fact]
    public void Defaults_and_good_entries_are_valid()
    {
        var validator = new EgressOptionsValidator();
        Assert.True(validator.Validate(null, new EgressOptions()).Succeeded);
        Assert.True(validator.Validate(null, new EgressOptions
        {
            AllowedNetworks = ["10.20.0.0/16", "10.1.2.3", "fd00:1::/64", "::1", "192.168.0.0/24"],
            AllowedHosts = ["llm-gateway.internal", "*.svc.cluster.local", "localhost"],
        }).Succeeded);
    }

    [Theory]
    [InlineData("10.0.0.1/8")] // bits set past the prefix
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0")]
    [InlineData("llm.internal")]
    [InlineData("")]
    [InlineData("fe80::/10/1")]
    public void Bad_networks_are_refused_with_the_entry_and_an_example(string entry)
    {
        var result = new EgressOptionsValidator().Validate(null, new EgressOptions { AllowedNetworks = [entry] });

        Assert.True(result.Failed);
        var failure = Assert.Single(result.Failures!);
        Assert.Contains($"egress:AllowedNetworks:0 \"{entry}\"", failure);
        Assert.Contains("10.20.0.0/16", failure);
    }

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("http://llm.internal")]
    [InlineData("llm.internal:8080")]
    [InlineData("*")]
    [InlineData("a..b")]
    [InlineData("under_score.example")]
    public void Bad_hosts_are_refused(string entry)
    {
        var result = new EgressOptionsValidator().Validate(null, new EgressOptions { AllowedHosts = [entry] });

        Assert.True(result.Failed);
        Assert.Contains($"egress:AllowedHosts:0 \"{entry}\"", Assert.Single(result.Failures!));
    }

    [Fact]
    public async Task A_bad_range_stops_the_host_at_startup()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddEgressPolicy(configure: o => o.AllowedNetworks.Add("10.0.0.1/8"));
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("\"10.0.0.1/8\" is not an address or a CIDR range", error.Message);
    }
}
