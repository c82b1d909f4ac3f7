using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace OpenClaw.Grains.Egress;

/// <summary>
/// Decides where requests made on a tenant's behalf may go: public addresses, plus the operator's
/// allowlist (<see cref="EgressOptions"/>). Checked twice: on the URL when a tenant sets it (a
/// literal internal address or a <c>localhost</c> name is refused at once) and on every resolved
/// address when a connection is made (<see cref="EgressConnector"/>), which is what counts: a host
/// name can resolve anywhere, and differently each time.
/// </summary>
public sealed class EgressPolicy
{
    private readonly IPNetwork[] _allowedNetworks;
    private readonly HashSet<string> _allowedHosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _allowedHostSuffixes = [];

    public EgressPolicy(IOptions<EgressOptions> options)
        : this(options.Value)
    {
    }

    public EgressPolicy(EgressOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _allowedNetworks = options.AllowedNetworks
            .Select(entry => TryParseNetwork(entry, out var network)
                ? network
                : throw new ArgumentException($"\"{entry}\" is not an address or a CIDR range.", nameof(options)))
            .ToArray();
        foreach (var pattern in options.AllowedHosts)
        {
            if (!IsValidHostPattern(pattern))
            {
                throw new ArgumentException($"\"{pattern}\" is not a host name.", nameof(options));
            }

            var host = NormalizeHostName(pattern);
            if (host.StartsWith("*.", StringComparison.Ordinal))
            {
                _allowedHostSuffixes.Add(host[1..]);
            }
            else
            {
                _allowedHosts.Add(host);
            }
        }
    }

    /// <summary>The default policy: public addresses only, no allowlist.</summary>
    public static EgressPolicy PublicOnly { get; } = new(new EgressOptions());

    /// <summary>True when <paramref name="address"/> may be connected to: it is public or inside an allowed network.</summary>
    public bool IsAllowed(IPAddress address, out AddressCategory category)
    {
        ArgumentNullException.ThrowIfNull(address);
        category = AddressClassifier.Classify(address);
        if (category == AddressCategory.Public)
        {
            return true;
        }

        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        foreach (var network in _allowedNetworks)
        {
            if (network.Contains(plain))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when the operator allowlisted this host name (then its addresses are not checked).</summary>
    public bool IsAllowedHost(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var name = NormalizeHostName(host);
        if (_allowedHosts.Contains(name))
        {
            return true;
        }

        foreach (var suffix in _allowedHostSuffixes)
        {
            if (name.Length > suffix.Length && name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The check made when a tenant sets a URL: false when its host is an internal address in any
    /// notation .NET accepts (decimal, hex, octal, shortened, IPv4-mapped, full-width digits …) or a
    /// <c>localhost</c> name, unless allowlisted. Other host names pass; they are checked when connecting.
    /// </summary>
    public bool IsAllowedUrl(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!uri.IsAbsoluteUri)
        {
            return false;
        }

        var host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host.Trim('[', ']') : NormalizeHostName(uri.IdnHost);
        if (IsAllowedHost(host))
        {
            return true;
        }

        if (IPAddress.TryParse(host, out var address))
        {
            return IsAllowed(address, out _);
        }

        return host != "localhost" && !host.EndsWith(".localhost", StringComparison.Ordinal);
    }

    /// <summary>Parses an allowlist entry: <c>address/prefix</c> or a single address.</summary>
    public static bool TryParseNetwork(string? entry, out IPNetwork network)
    {
        network = default;
        if (string.IsNullOrWhiteSpace(entry))
        {
            return false;
        }

        var text = entry.Trim();
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (!IsPlainAddress(slash < 0 ? text : text[..slash]))
        {
            return false;
        }

        if (slash >= 0)
        {
            // .NET masks "10.0.0.1/8" to 10.0.0.0/8; such an entry is ambiguous (a typo of /32?), so refuse it.
            return IPNetwork.TryParse(text, out network) && network.BaseAddress.Equals(IPAddress.Parse(text[..slash]));
        }

        if (!IPAddress.TryParse(text, out var address))
        {
            return false;
        }

        network = new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
        return true;
    }

    /// <summary>A host name (letters, digits, hyphens, dots), optionally <c>*.</c> and a name for its subdomains; not an address.</summary>
    public static bool IsValidHostPattern(string? pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern))
        {
            return false;
        }

        var name = NormalizeHostName(pattern);
        if (name.StartsWith("*.", StringComparison.Ordinal))
        {
            name = name[2..];
        }

        return name.Length is > 0 and <= 253
            && !IPAddress.TryParse(name, out _)
            && Uri.CheckHostName(name) == UriHostNameType.Dns
            && name.Split('.').All(label => label.Length is > 0 and <= 63 && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'));
    }

    /// <summary>Dotted-quad IPv4 or IPv6 without a zone: no shorthand such as <c>10.0.0</c> or <c>0x0a000001</c> in the allowlist.</summary>
    private static bool IsPlainAddress(string text) =>
        text.Contains(':', StringComparison.Ordinal)
            ? !text.Contains('%', StringComparison.Ordinal)
            : text.Split('.') is { Length: 4 } parts && parts.All(p => p.Length is >= 1 and <= 3 && p.All(char.IsAsciiDigit));

    private static string NormalizeHostName(string host) => host.Trim().TrimEnd('.').ToLowerInvariant();
}
