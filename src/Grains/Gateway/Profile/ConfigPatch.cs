using System.Text.Json;
using OpenClaw.Grains.Egress;

namespace OpenClaw.Grains.Gateway;

/// <summary>
/// A validated <c>config.patch</c>: a JSON merge patch over the tenant's config keys
/// (<c>provider, model, apiKey, baseUrl, agentName, systemPrompt</c>). A string sets the key, a
/// null goes back to the tenant record's value, and the redaction placeholder for
/// <c>apiKey</c> (what <c>config.get</c> shows) keeps the tenant's current own key (never the
/// tenant record's: see <see cref="EffectiveTenantConfig"/>). A <c>baseUrl</c> must be http(s)
/// and must not name an internal address or a <c>localhost</c> name (<see cref="EgressPolicy.IsAllowedUrl"/>).
/// </summary>
internal static class ConfigPatch
{
    public const string RedactedPlaceholder = "__OPENCLAW_REDACTED__";

    public static readonly IReadOnlyList<string> Keys = ["provider", "model", "apiKey", "baseUrl", "agentName", "systemPrompt", "userTimezone", "tools", "heartbeat"];

    /// <summary>Returns the overrides after applying <paramref name="patch"/>; throws <see cref="GatewayParamsException"/> when invalid.</summary>
    public static TenantConfigOverrides Apply(TenantConfigOverrides current, JsonElement patch, Func<string, bool> isKnownProvider, EgressPolicy egress, Cron.CronOptions? cron = null)
    {
        if (patch.ValueKind != JsonValueKind.Object)
        {
            throw new GatewayParamsException("'raw' must be a JSON object");
        }

        var updated = new TenantConfigOverrides
        {
            Provider = current.Provider,
            Model = current.Model,
            ApiKey = current.ApiKey,
            BaseUrl = current.BaseUrl,
            AgentName = current.AgentName,
            SystemPrompt = current.SystemPrompt,
            UserTimezone = current.UserTimezone,
            Tools = current.Tools,
            Heartbeat = current.Heartbeat,
            ExecAsk = current.ExecAsk,
            ExecNode = current.ExecNode,
        };

        foreach (var property in patch.EnumerateObject())
        {
            if (property.Name == ExecToolsConfig.PatchKey)
            {
                // One `tools` key, two owners: exec settings here, the policy (profile/allow/deny) below.
                updated.Tools = ToolsConfigPatch.Apply(current.Tools, property.Value);
                ExecToolsConfig.Apply(updated, property.Value, otherSectionsAllowed: true);
                continue;
            }

            if (property.Name == "heartbeat")
            {
                updated.Heartbeat = Cron.HeartbeatPatch.Apply(current.Heartbeat, property.Value, cron ?? new Cron.CronOptions());
                continue;
            }

            var value = property.Value.ValueKind switch
            {
                JsonValueKind.Null => null,
                JsonValueKind.String => property.Value.GetString(),
                _ => throw new GatewayParamsException($"'raw.{property.Name}' must be a string or null"),
            };

            switch (property.Name)
            {
                case "provider":
                    updated.Provider = Check(property.Name, value?.Trim().ToLowerInvariant(), 64);
                    if (updated.Provider is not null && !isKnownProvider(updated.Provider))
                    {
                        throw new GatewayParamsException($"'raw.provider' names an unknown provider \"{updated.Provider}\"");
                    }

                    break;
                case "model":
                    updated.Model = Check(property.Name, value?.Trim(), 200);
                    break;
                case "apiKey":
                    if (value != RedactedPlaceholder)
                    {
                        updated.ApiKey = Check(property.Name, value?.Trim(), 4096);
                        if (Secrets.TenantSecrets.IsProtected(updated.ApiKey))
                        {
                            // Else a tenant could hand in a protected value it got hold of and have it decrypted towards its own URL.
                            throw new GatewayParamsException($"'raw.apiKey' must not start with \"{Secrets.TenantSecrets.Prefix}\"");
                        }
                    }

                    break;
                case "baseUrl":
                    updated.BaseUrl = CheckUrl(Check(property.Name, value?.Trim(), 2048), egress);
                    break;
                case "agentName":
                    updated.AgentName = Check(property.Name, value?.Trim(), 100);
                    break;
                case "systemPrompt":
                    updated.SystemPrompt = Check(property.Name, value, 64_000, allowEmpty: true);
                    break;
                case "userTimezone":
                    updated.UserTimezone = CheckTimeZone(Check(property.Name, value?.Trim(), 64));
                    break;
                default:
                    throw new GatewayParamsException(
                        $"unknown config key 'raw.{property.Name}' (known: {string.Join(", ", Keys)})");
            }
        }

        return updated;
    }

    private static string? Check(string name, string? value, int maxLength, bool allowEmpty = false)
    {
        if (value is null)
        {
            return null;
        }

        if (!allowEmpty && value.Length == 0)
        {
            throw new GatewayParamsException($"'raw.{name}' must NOT be empty (use null to go back to the default)");
        }

        if (value.Length > maxLength)
        {
            throw new GatewayParamsException($"'raw.{name}' must NOT have more than {maxLength} characters");
        }

        return value;
    }

    private static string? CheckTimeZone(string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (!value.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '_' or '-' or '+')
            || !TimeZoneInfo.TryFindSystemTimeZoneById(value, out _))
        {
            throw new GatewayParamsException($"'raw.userTimezone' must be an IANA time zone such as Europe/Berlin (got \"{value}\")");
        }

        return value;
    }

    private static string? CheckUrl(string? value, EgressPolicy egress)
    {
        if (value is null)
        {
            return null;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new GatewayParamsException("'raw.baseUrl' must be an absolute http or https URL");
        }

        if (uri.UserInfo.Length > 0)
        {
            throw new GatewayParamsException("'raw.baseUrl' must not contain credentials; use 'raw.apiKey'");
        }

        if (!egress.IsAllowedUrl(uri))
        {
            throw new GatewayParamsException($"'raw.baseUrl' is not allowed: {EgressDeniedException.Reason}");
        }

        return value;
    }
}
