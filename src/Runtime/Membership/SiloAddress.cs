using System.Globalization;
using System.Net;

namespace OpenClaw.Runtime;

/// <summary>
/// Where a silo process listens for cluster traffic (host and port) plus its generation: a
/// restarted silo on the same endpoint is a different silo (the old generation is dead for good).
/// Written as <c>host:port@generation</c>.
/// </summary>
public readonly record struct SiloAddress(string Host, int Port, long Generation) : IComparable<SiloAddress>
{
    public string Endpoint => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    public override string ToString() => $"{Endpoint}@{Generation.ToString(CultureInfo.InvariantCulture)}";

    public int CompareTo(SiloAddress other)
    {
        var byHost = string.CompareOrdinal(Host, other.Host);
        if (byHost != 0) return byHost;
        var byPort = Port.CompareTo(other.Port);
        return byPort != 0 ? byPort : Generation.CompareTo(other.Generation);
    }

    /// <summary>A generation for a silo starting now: milliseconds since 2024, so later starts have larger generations.</summary>
    public static long NewGeneration(TimeProvider time) =>
        time.GetUtcNow().ToUnixTimeMilliseconds() - 1_704_067_200_000L;

    public static SiloAddress Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var at = text.LastIndexOf('@');
        if (at <= 0 || !long.TryParse(text.AsSpan(at + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var generation))
            throw new FormatException($"'{text}' is not a silo address of the form host:port@generation.");
        var endpoint = text[..at];
        if (!IPEndPoint.TryParse(endpoint, out var ip))
        {
            var colon = endpoint.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(endpoint.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
                throw new FormatException($"'{text}' is not a silo address of the form host:port@generation.");
            return new SiloAddress(endpoint[..colon], port, generation);
        }
        if (ip.Port is < 1 or > 65535) throw new FormatException($"'{text}' has no valid port.");
        return new SiloAddress(ip.Address.ToString(), ip.Port, generation);
    }
}
