using Microsoft.Extensions.Options;

namespace OpenClaw.Runtime;

/// <summary>Probes another silo directly: a ping on its cluster connection, answered within the probe timeout.</summary>
internal sealed class SiloProber(SiloConnector connector, MessageCenter center, IOptions<ClusterOptions> options)
{
    private readonly ClusterOptions _options = options.Value;

    public async Task<bool> ProbeAsync(SiloAddress silo, CancellationToken cancellationToken)
    {
        try
        {
            var connection = await connector.GetAsync(silo, cancellationToken).ConfigureAwait(false);
            return await center.PingAsync(connection, _options.ProbeTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (SiloUnavailableException)
        {
            return false;
        }
    }
}
