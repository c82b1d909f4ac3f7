using Microsoft.Extensions.Options;

namespace OpenClaw.Grains.Egress;

/// <summary>Refuses allowlist entries that are not CIDR ranges or host names (checked at startup).</summary>
public sealed class EgressOptionsValidator : IValidateOptions<EgressOptions>
{
    public ValidateOptionsResult Validate(string? name, EgressOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        for (var i = 0; i < options.AllowedNetworks.Count; i++)
        {
            if (!EgressPolicy.TryParseNetwork(options.AllowedNetworks[i], out _))
            {
                failures.Add($"{EgressOptions.SectionName}:{nameof(EgressOptions.AllowedNetworks)}:{i} \"{options.AllowedNetworks[i]}\" is not an address or "
                    + "a CIDR range (address/prefix with no address bits set past the prefix, e.g. 10.20.0.0/16 or fd00:1::/64).");
            }
        }

        for (var i = 0; i < options.AllowedHosts.Count; i++)
        {
            if (!EgressPolicy.IsValidHostPattern(options.AllowedHosts[i]))
            {
                failures.Add($"{EgressOptions.SectionName}:{nameof(EgressOptions.AllowedHosts)}:{i} \"{options.AllowedHosts[i]}\" is not a host name "
                    + $"(e.g. llm-gateway.internal, or *.svc.cluster.local for its subdomains); list addresses in {nameof(EgressOptions.AllowedNetworks)}.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
