using System.Net;
using System.Net.Sockets;

namespace OpenClaw.Grains.Egress;

/// <summary>
/// Classifies IP addresses for the egress policy. IPv6 forms that carry an IPv4 address
/// (IPv4-mapped <c>::ffff:a.b.c.d</c>, IPv4-translated <c>::ffff:0:a.b.c.d</c>, IPv4-compatible
/// <c>::a.b.c.d</c>, NAT64 <c>64:ff9b::/96</c> and 6to4 <c>2002::/16</c>) are classified by the
/// IPv4 address they carry, so that no notation reaches an internal IPv4 address.
/// </summary>
public static class AddressClassifier
{
    private static readonly (IPNetwork Network, AddressCategory Category)[] V4Ranges =
    [
        (IPNetwork.Parse("0.0.0.0/32"), AddressCategory.Unspecified),
        (IPNetwork.Parse("0.0.0.0/8"), AddressCategory.ThisNetwork),
        (IPNetwork.Parse("10.0.0.0/8"), AddressCategory.Private),
        (IPNetwork.Parse("100.64.0.0/10"), AddressCategory.SharedAddressSpace),
        (IPNetwork.Parse("127.0.0.0/8"), AddressCategory.Loopback),
        (IPNetwork.Parse("169.254.0.0/16"), AddressCategory.LinkLocal),
        (IPNetwork.Parse("172.16.0.0/12"), AddressCategory.Private),
        (IPNetwork.Parse("192.0.0.0/24"), AddressCategory.Reserved),
        (IPNetwork.Parse("192.0.2.0/24"), AddressCategory.Documentation),
        (IPNetwork.Parse("192.88.99.0/24"), AddressCategory.Reserved),
        (IPNetwork.Parse("192.168.0.0/16"), AddressCategory.Private),
        (IPNetwork.Parse("198.18.0.0/15"), AddressCategory.Benchmarking),
        (IPNetwork.Parse("198.51.100.0/24"), AddressCategory.Documentation),
        (IPNetwork.Parse("203.0.113.0/24"), AddressCategory.Documentation),
        (IPNetwork.Parse("224.0.0.0/4"), AddressCategory.Multicast),
        (IPNetwork.Parse("255.255.255.255/32"), AddressCategory.Broadcast),
        (IPNetwork.Parse("240.0.0.0/4"), AddressCategory.Reserved),
    ];

    private static readonly (IPNetwork Network, AddressCategory Category)[] V6Ranges =
    [
        (IPNetwork.Parse("::/128"), AddressCategory.Unspecified),
        (IPNetwork.Parse("::1/128"), AddressCategory.Loopback),
        (IPNetwork.Parse("64:ff9b:1::/48"), AddressCategory.Private),
        (IPNetwork.Parse("100::/64"), AddressCategory.Reserved),
        (IPNetwork.Parse("2001::/32"), AddressCategory.Reserved),
        (IPNetwork.Parse("2001:2::/48"), AddressCategory.Benchmarking),
        (IPNetwork.Parse("2001:10::/28"), AddressCategory.Reserved),
        (IPNetwork.Parse("2001:20::/28"), AddressCategory.Reserved),
        (IPNetwork.Parse("2001:db8::/32"), AddressCategory.Documentation),
        (IPNetwork.Parse("3fff::/20"), AddressCategory.Documentation),
        (IPNetwork.Parse("fc00::/7"), AddressCategory.UniqueLocal),
        (IPNetwork.Parse("fe80::/10"), AddressCategory.LinkLocal),
        (IPNetwork.Parse("fec0::/10"), AddressCategory.SiteLocal),
        (IPNetwork.Parse("ff00::/8"), AddressCategory.Multicast),
    ];

    private static readonly IPNetwork GlobalUnicast = IPNetwork.Parse("2000::/3");

    public static AddressCategory Classify(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => ClassifyV4(address),
            AddressFamily.InterNetworkV6 => ClassifyV6(address),
            _ => AddressCategory.Reserved,
        };
    }

    private static AddressCategory ClassifyV4(IPAddress address)
    {
        foreach (var (network, category) in V4Ranges)
        {
            if (network.Contains(address))
            {
                return category;
            }
        }

        return AddressCategory.Public;
    }

    private static AddressCategory ClassifyV6(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);

        // ::ffff:a.b.c.d (mapped) and ::ffff:0:a.b.c.d (translated): the IPv4 address decides.
        if (IsZero(bytes[..8]) && bytes[8] == 0 && bytes[9] == 0 && bytes[10] == 0xff && bytes[11] == 0xff)
        {
            return ClassifyV4(new IPAddress(bytes[12..]));
        }

        if (IsZero(bytes[..8]) && bytes[8] == 0xff && bytes[9] == 0xff && bytes[10] == 0 && bytes[11] == 0)
        {
            return EmbeddedOrReserved(bytes[12..]);
        }

        // ::a.b.c.d (IPv4-compatible, deprecated), except :: and ::1.
        if (IsZero(bytes[..12]) && !(IsZero(bytes[12..15]) && bytes[15] <= 1))
        {
            return EmbeddedOrReserved(bytes[12..]);
        }

        // NAT64 well-known prefix 64:ff9b::/96 and 6to4 2002::/16 reach the IPv4 address they carry.
        if (bytes[0] == 0 && bytes[1] == 0x64 && bytes[2] == 0xff && bytes[3] == 0x9b && IsZero(bytes[4..12]))
        {
            return ClassifyV4(new IPAddress(bytes[12..]));
        }

        if (bytes[0] == 0x20 && bytes[1] == 0x02)
        {
            return ClassifyV4(new IPAddress(bytes[2..6]));
        }

        foreach (var (network, category) in V6Ranges)
        {
            if (network.Contains(address))
            {
                return category;
            }
        }

        return GlobalUnicast.Contains(address) ? AddressCategory.Public : AddressCategory.Reserved;
    }

    /// <summary>The carried IPv4 address's category when internal; a public one is still not routable this way.</summary>
    private static AddressCategory EmbeddedOrReserved(ReadOnlySpan<byte> v4)
    {
        var category = ClassifyV4(new IPAddress(v4));
        return category == AddressCategory.Public ? AddressCategory.Reserved : category;
    }

    private static bool IsZero(ReadOnlySpan<byte> bytes) => !bytes.ContainsAnyExcept((byte)0);
}
