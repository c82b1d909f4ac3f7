namespace OpenClaw.Grains.Egress;

/// <summary>What kind of destination an IP address is; everything but <see cref="Public"/> is denied by default.</summary>
public enum AddressCategory
{
    /// <summary>A globally routable unicast address.</summary>
    Public,

    /// <summary><c>0.0.0.0</c>, <c>::</c>.</summary>
    Unspecified,

    /// <summary><c>0.0.0.0/8</c> ("this network").</summary>
    ThisNetwork,

    /// <summary><c>127.0.0.0/8</c>, <c>::1</c>.</summary>
    Loopback,

    /// <summary>RFC 1918 (<c>10/8</c>, <c>172.16/12</c>, <c>192.168/16</c>) and local-use NAT64 (<c>64:ff9b:1::/48</c>).</summary>
    Private,

    /// <summary>Carrier-grade NAT, <c>100.64.0.0/10</c>.</summary>
    SharedAddressSpace,

    /// <summary><c>169.254.0.0/16</c> (cloud metadata services live here), <c>fe80::/10</c>.</summary>
    LinkLocal,

    /// <summary>IPv6 unique local addresses, <c>fc00::/7</c>.</summary>
    UniqueLocal,

    /// <summary>Deprecated IPv6 site-local addresses, <c>fec0::/10</c>.</summary>
    SiteLocal,

    /// <summary><c>224.0.0.0/4</c>, <c>ff00::/8</c>.</summary>
    Multicast,

    /// <summary><c>255.255.255.255</c>.</summary>
    Broadcast,

    /// <summary><c>192.0.2/24</c>, <c>198.51.100/24</c>, <c>203.0.113/24</c>, <c>2001:db8::/32</c>, <c>3fff::/20</c>.</summary>
    Documentation,

    /// <summary><c>198.18.0.0/15</c>, <c>2001:2::/48</c>.</summary>
    Benchmarking,

    /// <summary>Reserved, deprecated or not globally routable otherwise (<c>240/4</c>, Teredo, IPv4-compatible IPv6, …).</summary>
    Reserved,
}
