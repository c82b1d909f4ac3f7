using System.Net;
using OpenClaw.Grains.Egress;

namespace OpenClaw.Grains.Tests.Egress;

public sealed class AddressClassifierTests
{
    [Theory]
    // IPv4
    [InlineData("8.8.8.8", AddressCategory.Public)]
    [InlineData("1.1.1.1", AddressCategory.Public)]
    [InlineData("100.63.255.255", AddressCategory.Public)]
    [InlineData("100.128.0.0", AddressCategory.Public)]
    [InlineData("172.15.255.255", AddressCategory.Public)]
    [InlineData("172.32.0.0", AddressCategory.Public)]
    [InlineData("223.255.255.255", AddressCategory.Public)]
    [InlineData("0.0.0.0", AddressCategory.Unspecified)]
    [InlineData("0.1.2.3", AddressCategory.ThisNetwork)]
    [InlineData("127.0.0.1", AddressCategory.Loopback)]
    [InlineData("127.255.255.254", AddressCategory.Loopback)]
    [InlineData("10.0.0.1", AddressCategory.Private)]
    [InlineData("172.16.0.1", AddressCategory.Private)]
    [InlineData("172.31.255.255", AddressCategory.Private)]
    [InlineData("192.168.0.1", AddressCategory.Private)]
    [InlineData("100.64.0.1", AddressCategory.SharedAddressSpace)]
    [InlineData("100.127.255.255", AddressCategory.SharedAddressSpace)]
    [InlineData("169.254.169.254", AddressCategory.LinkLocal)]
    [InlineData("169.254.0.1", AddressCategory.LinkLocal)]
    [InlineData("224.0.0.1", AddressCategory.Multicast)]
    [InlineData("239.255.255.250", AddressCategory.Multicast)]
    [InlineData("255.255.255.255", AddressCategory.Broadcast)]
    [InlineData("240.0.0.1", AddressCategory.Reserved)]
    [InlineData("192.0.0.8", AddressCategory.Reserved)]
    [InlineData("192.88.99.1", AddressCategory.Reserved)]
    [InlineData("192.0.2.1", AddressCategory.Documentation)]
    [InlineData("198.51.100.1", AddressCategory.Documentation)]
    [InlineData("203.0.113.1", AddressCategory.Documentation)]
    [InlineData("198.18.0.1", AddressCategory.Benchmarking)]
    [InlineData("198.19.255.255", AddressCategory.Benchmarking)]
    // IPv6
    [InlineData("2606:4700:4700::1111", AddressCategory.Public)]
    [InlineData("2a00:1450:4001::1", AddressCategory.Public)]
    [InlineData("::", AddressCategory.Unspecified)]
    [InlineData("::1", AddressCategory.Loopback)]
    [InlineData("fe80::1", AddressCategory.LinkLocal)]
    [InlineData("febf::1", AddressCategory.LinkLocal)]
    [InlineData("fec0::1", AddressCategory.SiteLocal)]
    [InlineData("fc00::1", AddressCategory.UniqueLocal)]
    [InlineData("fd12:3456::1", AddressCategory.UniqueLocal)]
    [InlineData("ff02::1", AddressCategory.Multicast)]
    [InlineData("2001:db8::1", AddressCategory.Documentation)]
    [InlineData("3fff::1", AddressCategory.Documentation)]
    [InlineData("2001:2::1", AddressCategory.Benchmarking)]
    [InlineData("2001::1", AddressCategory.Reserved)] // Teredo
    [InlineData("100::1", AddressCategory.Reserved)] // discard-only
    [InlineData("4000::1", AddressCategory.Reserved)] // outside global unicast
    [InlineData("64:ff9b:1::a00:1", AddressCategory.Private)] // local-use NAT64
    // IPv4 carried in IPv6
    [InlineData("::ffff:127.0.0.1", AddressCategory.Loopback)]
    [InlineData("::ffff:7f00:1", AddressCategory.Loopback)]
    [InlineData("::ffff:10.1.2.3", AddressCategory.Private)]
    [InlineData("::ffff:169.254.169.254", AddressCategory.LinkLocal)]
    [InlineData("::ffff:0.0.0.0", AddressCategory.Unspecified)]
    [InlineData("::ffff:8.8.8.8", AddressCategory.Public)]
    [InlineData("::ffff:0:127.0.0.1", AddressCategory.Loopback)] // IPv4-translated
    [InlineData("::ffff:0:8.8.8.8", AddressCategory.Reserved)]
    [InlineData("::127.0.0.1", AddressCategory.Loopback)] // IPv4-compatible (deprecated)
    [InlineData("::192.168.1.1", AddressCategory.Private)]
    [InlineData("::8.8.8.8", AddressCategory.Reserved)]
    [InlineData("64:ff9b::127.0.0.1", AddressCategory.Loopback)] // NAT64
    [InlineData("64:ff9b::a9fe:a9fe", AddressCategory.LinkLocal)]
    [InlineData("64:ff9b::8.8.8.8", AddressCategory.Public)]
    [InlineData("2002:7f00:1::", AddressCategory.Loopback)] // 6to4
    [InlineData("2002:c0a8:101::1", AddressCategory.Private)]
    [InlineData("2002:a9fe:a9fe::", AddressCategory.LinkLocal)]
    [InlineData("2002:808:808::1", AddressCategory.Public)]
    public void Classifies(string address, AddressCategory expected)
    {
        Assert.Equal(expected, AddressClassifier.Classify(IPAddress.Parse(address)));
    }

    [Fact]
    public void A_scoped_link_local_address_is_link_local()
    {
        var address = IPAddress.Parse("fe80::1");
        address.ScopeId = 2;
        Assert.Equal(AddressCategory.LinkLocal, AddressClassifier.Classify(address));
    }
}
