using System.Net;

namespace OpenClaw.Grains.Egress;

/// <summary>
/// A connection the egress policy refused. The message names no address or port (it may reach a
/// tenant); the details are properties, for the operator's log.
/// </summary>
public sealed class EgressDeniedException(string host, int port, IPAddress address, AddressCategory category)
    : Exception(TenantMessage)
{
    /// <summary>Why a destination is refused, as a tenant is told: no address, no port, nothing about what listens there.</summary>
    public const string Reason = "it points to a private or internal address";

    public const string TenantMessage = "the URL is not allowed: " + Reason;

    public string Host { get; } = host;

    public int Port { get; } = port;

    public IPAddress Address { get; } = address;

    public AddressCategory Category { get; } = category;

    /// <summary>The denial behind <paramref name="exception"/> (HttpClient wraps what a connect callback throws), or null.</summary>
    public static EgressDeniedException? Find(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is EgressDeniedException denied)
            {
                return denied;
            }
        }

        return null;
    }
}
