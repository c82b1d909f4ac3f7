using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace OpenClaw.Grains.Egress;

/// <summary>
/// The primary handler of every egress HttpClient. Its connect callback resolves the host itself,
/// checks every resolved address against the <see cref="EgressPolicy"/> and connects only to the
/// addresses it checked: DNS rebinding cannot slip another address in between the check and the
/// connection. A host name that resolves to any denied address is refused as a whole.
/// </summary>
internal sealed class EgressConnector(EgressPolicy policy, IEgressHostResolver resolver, ILogger<EgressConnector> logger)
{
    /// <summary>
    /// No redirects: a redirect could lead to an internal address (the connect check would still
    /// refuse it) and would carry provider key headers such as <c>x-api-key</c> to another origin;
    /// provider APIs do not redirect. No proxy from the environment (a proxy would connect for us,
    /// bypassing the check) and no cookies (the handler is shared by every tenant).
    /// </summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        ConnectCallback = ConnectAsync,
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
    };

    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var port = context.DnsEndPoint.Port;
        var addresses = await ResolveAsync(host, cancellationToken).ConfigureAwait(false);
        if (!policy.IsAllowedHost(host))
        {
            foreach (var address in addresses)
            {
                if (!policy.IsAllowed(address, out var category))
                {
                    EgressLog.Denied(logger, host, port, address, category);
                    throw new EgressDeniedException(host, port, address, category);
                }
            }
        }

        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                EgressLog.ConnectFailed(logger, host, port, address, ex);
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }

    private async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (host.StartsWith('['))
        {
            // An IPv6 literal, possibly with an escaped zone ("[fe80::1%25eth0]"): the zone is dropped.
            var literal = host.Trim('[', ']');
            var zone = literal.IndexOf('%', StringComparison.Ordinal);
            return IPAddress.TryParse(zone < 0 ? literal : literal[..zone], out var v6)
                ? [v6]
                : throw new SocketException((int)SocketError.HostNotFound);
        }

        if (IPAddress.TryParse(host, out var literalAddress))
        {
            return [literalAddress];
        }

        var addresses = await resolver.ResolveAsync(host, cancellationToken).ConfigureAwait(false);
        return addresses.Length > 0 ? addresses : throw new SocketException((int)SocketError.HostNotFound);
    }
}
