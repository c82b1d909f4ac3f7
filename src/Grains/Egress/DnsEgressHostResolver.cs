using System.Net;

namespace OpenClaw.Grains.Egress;

/// <summary>The system resolver.</summary>
internal sealed class DnsEgressHostResolver : IEgressHostResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        Dns.GetHostAddressesAsync(host, cancellationToken);
}
