using System.Net;
using OpenClaw.Grains.Egress;

namespace OpenClaw.Grains.Tests.Egress;

public sealed class EgressPolicyTests
{
    private static EgressPolicy Policy(string[]? networks = null, string[]? hosts = null) =>
        new(new EgressOptions { AllowedNetworks = [.. networks ?? []], AllowedHosts = [.. hosts ?? []] });

    [Theory]
    [InlineData("8.8.8.8", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.0.0.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("::1", false)]
    [InlineData("::ffff:127.0.0.1", false)]
    public void By_default_only_public_addresses_are_allowed(string address, bool allowed)
    {
        Assert.Equal(allowed, EgressPolicy.PublicOnly.IsAllowed(IPAddress.Parse(address), out _));
    }

    [Theory]
    [InlineData("10.20.0.5", true)]
    [InlineData("10.20.255.255", true)]
    [InlineData("10.21.0.1", false)]
    [InlineData("::ffff:10.20.0.5", true)] // the mapped form of an allowed IPv4 address
    [InlineData("127.0.0.1", true)]
    [InlineData("127.0.0.2", false)]
    [InlineData("fd00:1::7", true)]
    [InlineData("fd00:2::7", false)]
    public void Allowed_networks_open_exactly_their_ranges(string address, bool allowed)
    {
        var policy = Policy(networks: ["10.20.0.0/16", "127.0.0.1", "fd00:1::/64"]);
        Assert.Equal(allowed, policy.IsAllowed(IPAddress.Parse(address), out _));
    }

    [Fact]
    public void A_denied_address_reports_its_category()
    {
        Assert.False(EgressPolicy.PublicOnly.IsAllowed(IPAddress.Parse("100.64.1.1"), out var category));
        Assert.Equal(AddressCategory.SharedAddressSpace, category);
    }

    [Theory]
    [InlineData("llm-gateway.internal", true)]
    [InlineData("LLM-Gateway.Internal.", true)]
    [InlineData("other.internal", false)]
    [InlineData("api.svc.cluster.local", true)]
    [InlineData("a.b.svc.cluster.local", true)]
    [InlineData("svc.cluster.local", false)] // "*." covers subdomains, not the name itself
    [InlineData("evilsvc.cluster.local", false)]
    public void Allowed_hosts_match_exact_names_and_wildcard_subdomains(string host, bool allowed)
    {
        var policy = Policy(hosts: ["llm-gateway.internal", "*.svc.cluster.local"]);
        Assert.Equal(allowed, policy.IsAllowedHost(host));
    }

    [Theory]
    [InlineData("https://api.openai.com/v1", true)]
    [InlineData("https://llm.example/v1", true)]
    [InlineData("http://8.8.8.8/v1", true)]
    [InlineData("http://[2606:4700:4700::1111]/v1", true)]
    [InlineData("http://localhost/v1", false)]
    [InlineData("http://foo.localhost/v1", false)]
    [InlineData("http://127.0.0.1/v1", false)]
    [InlineData("http://2130706433/v1", false)]
    [InlineData("http://0x7f.1/v1", false)]
    [InlineData("http://[::ffff:a9fe:a9fe]/v1", false)]
    [InlineData("http://[fe80::1%25eth0]/v1", false)]
    [InlineData("http://127.0.0.1./v1", false)]
    public void Urls_are_checked_for_literal_internal_addresses_and_localhost_names(string url, bool allowed)
    {
        Assert.Equal(allowed, EgressPolicy.PublicOnly.IsAllowedUrl(new Uri(url)));
    }

    [Fact]
    public void The_allowlist_applies_to_urls_too()
    {
        var policy = Policy(networks: ["10.20.0.0/16"], hosts: ["localhost"]);
        Assert.True(policy.IsAllowedUrl(new Uri("http://10.20.1.2:4000/v1")));
        Assert.True(policy.IsAllowedUrl(new Uri("http://localhost:11434/v1")));
        Assert.False(policy.IsAllowedUrl(new Uri("http://10.21.1.2:4000/v1")));
    }
}
