using System.Net;

namespace OpenClaw.Grains.Egress;

/// <summary>Resolves host names for <see cref="EgressConnector"/> (replaceable in tests).</summary>
public interface IEgressHostResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}
