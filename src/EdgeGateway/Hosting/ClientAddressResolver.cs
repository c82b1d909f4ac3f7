using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace OpenClaw.EdgeGateway.Hosting;

/// <summary>
/// The client address that auth throttling is keyed on. It is the socket's remote address, unless
/// that peer is one of <see cref="EdgeGatewayOptions.TrustedProxies"/>: then <c>X-Forwarded-For</c>
/// is read from the right (the entry the nearest proxy appended) past every trusted proxy, and the
/// first untrusted entry is the client. A header from any other peer is ignored, so a client
/// cannot pick the address it is throttled as.
/// </summary>
internal sealed class ClientAddressResolver
{
    private const string ForwardedForHeader = "X-Forwarded-For";

    private readonly IPNetwork[] _trusted;

    public ClientAddressResolver(IOptions<EdgeGatewayOptions> options)
    {
        _trusted = options.Value.TrustedProxies
            .Select(text => TryParseNetwork(text, out var network) ? network : (IPNetwork?)null)
            .OfType<IPNetwork>()
            .ToArray();
    }

    public string Resolve(HttpContext context)
    {
        var peer = Normalize(context.Connection.RemoteIpAddress);
        if (peer is null) return "unknown";
        if (!IsTrusted(peer)) return peer.ToString();

        var client = peer;
        var entries = context.Request.Headers[ForwardedForHeader].SelectMany(v => (v ?? "").Split(',')).ToArray();
        for (var i = entries.Length - 1; i >= 0; i--)
        {
            if (!IPAddress.TryParse(entries[i].Trim(), out var parsed)) break;
            client = Normalize(parsed)!;
            if (!IsTrusted(client)) break;
        }
        return client.ToString();
    }

    /// <summary>Parses <c>10.1.2.3</c>, <c>10.0.0.0/8</c>, <c>::1</c> or <c>fd00::/8</c>.</summary>
    public static bool TryParseNetwork(string? text, out IPNetwork network)
    {
        network = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        text = text.Trim();
        if (text.Contains('/')) return IPNetwork.TryParse(text, out network);
        if (!IPAddress.TryParse(text, out var address)) return false;
        address = Normalize(address)!;
        network = new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
        return true;
    }

    private bool IsTrusted(IPAddress address)
    {
        foreach (var network in _trusted)
        {
            if (network.Contains(address)) return true;
        }
        return false;
    }

    private static IPAddress? Normalize(IPAddress? address) =>
        address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;
}
