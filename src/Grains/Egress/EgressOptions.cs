namespace OpenClaw.Grains.Egress;

/// <summary>
/// The egress policy for requests made on a tenant's behalf (configuration section <c>egress</c>).
/// Public addresses are always allowed; loopback, private, link-local and the other internal or
/// special-purpose ranges (see <see cref="AddressClassifier"/>) are denied unless listed here.
/// </summary>
public sealed class EgressOptions
{
    public const string SectionName = "egress";

    /// <summary>
    /// CIDR ranges (<c>10.20.0.0/16</c>, <c>fd00:1::/64</c>) or single addresses (<c>10.20.0.5</c>)
    /// that may be reached although they are internal: e.g. the platform's own LLM gateway.
    /// </summary>
    public List<string> AllowedNetworks { get; set; } = [];

    /// <summary>
    /// Host names that may be reached whatever they resolve to: an exact name
    /// (<c>llm-gateway.internal</c>) or every subdomain of one (<c>*.svc.cluster.local</c>).
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];
}
