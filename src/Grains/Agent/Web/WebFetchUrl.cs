using System.Net;
using OpenClaw.Grains.Egress;

namespace OpenClaw.Grains.Agent.Web;

/// <summary>
/// The checks a URL passes before <c>web_fetch</c> connects to it (the first one and every
/// redirect target): http or https, no credentials, and a host that is not an internal address in
/// any notation or a <c>localhost</c> name. Names are checked again on every resolved address when
/// connecting (<see cref="EgressConnector"/>), which is what stops DNS tricks.
/// </summary>
internal static class WebFetchUrl
{
    /// <summary>The parsed URL; an <see cref="AgentToolException"/> saying why when it may not be fetched.</summary>
    public static Uri Check(string text, EgressPolicy policy, string? redirectFrom = null)
    {
        var what = redirectFrom is null ? "" : "redirect target ";
        if (text.Length > WebFetchOptions.MaxUrlLength)
        {
            throw Blocked($"the {what}URL is longer than {WebFetchOptions.MaxUrlLength} characters");
        }

        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri))
        {
            throw new AgentToolException($"invalid {what}URL: \"{Printable(text)}\" is not an absolute http or https URL");
        }

        if (uri.Scheme is not ("http" or "https"))
        {
            throw Blocked($"only http and https URLs can be fetched, not {Printable(uri.Scheme)}: URLs" + (redirectFrom is null ? "" : $" (redirected from {Printable(redirectFrom)})"));
        }

        if (uri.UserInfo.Length > 0)
        {
            throw Blocked($"the {what}URL carries credentials (user@host), which web_fetch never sends");
        }

        var host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host.Trim('[', ']') : uri.IdnHost.TrimEnd('.').ToLowerInvariant();
        if (policy.IsAllowedHost(host))
        {
            return uri;
        }

        // Dotted forms the URI parser keeps as names ("127.0.0.1.") are addresses too.
        var zone = host.IndexOf('%', StringComparison.Ordinal);
        if (IPAddress.TryParse(zone < 0 ? host : host[..zone], out var address))
        {
            if (!policy.IsAllowed(address, out var category))
            {
                throw Blocked($"{address} is {Describe(category)}" + (redirectFrom is null ? "" : $" (redirected from {Printable(redirectFrom)})"));
            }
        }
        else if (uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6)
        {
            throw Blocked($"the {what}URL's address {Printable(host)} is not valid");
        }
        else if (host == "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal))
        {
            throw Blocked($"{host} is a loopback name" + (redirectFrom is null ? "" : $" (redirected from {Printable(redirectFrom)})"));
        }

        // Anything the policy's own URL check refuses that the cases above missed.
        return policy.IsAllowedUrl(uri) ? uri : throw Blocked($"the {what}URL is not allowed: {EgressDeniedException.Reason}");
    }

    public static AgentToolException Blocked(string reason) => new("blocked: " + reason, "WEB_FETCH_BLOCKED");

    /// <summary>What an address category means, for a tenant who typed such an address.</summary>
    public static string Describe(AddressCategory category) => category switch
    {
        AddressCategory.Loopback => "a loopback address",
        AddressCategory.LinkLocal => "a link-local address (where cloud metadata services answer)",
        AddressCategory.Private => "a private network address",
        AddressCategory.UniqueLocal => "a unique local (private) IPv6 address",
        AddressCategory.SiteLocal => "a site-local IPv6 address",
        AddressCategory.SharedAddressSpace => "a carrier-grade NAT address",
        AddressCategory.Unspecified => "the unspecified address",
        AddressCategory.ThisNetwork => "a \"this network\" address",
        AddressCategory.Multicast => "a multicast address",
        AddressCategory.Broadcast => "the broadcast address",
        AddressCategory.Documentation => "a documentation address",
        AddressCategory.Benchmarking => "a benchmarking address",
        _ => "a reserved address",
    };

    public static string Printable(string text)
    {
        var shown = text.Length > 200 ? text[..200] + "…" : text;
        return new string(shown.Select(c => char.IsControl(c) ? '?' : c).ToArray());
    }
}
