using System.Text.Json;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Grains.Secrets;
using OpenClaw.Grains.Tenants;

namespace OpenClaw.Operations.Admin;

/// <summary>
/// What the admin API accepts for a tenant's fields. Every rule names the field it is about (as
/// the JSON path the client sent, e.g. <c>config.baseUrl</c>), so a 400 says exactly what to fix.
/// </summary>
internal static class TenantInputRules
{
    public const int MaxDisplayNameLength = 200;
    public const int MaxPlanLength = 64;
    public const int MaxModelLength = 200;
    public const int MaxApiKeyLength = 4096;
    public const int MaxBaseUrlLength = 2048;
    public const int MaxAgentNameLength = 100;
    public const int MaxSystemPromptLength = 32_000;
    public const int MaxTokenNameLength = 100;

    public static readonly IReadOnlyList<string> Providers = ["echo", "openai", "anthropic"];

    private static readonly TenantConfig Defaults = new();

    public static void TenantId(string field, string? id, Dictionary<string, string[]> errors)
    {
        try
        {
            TenantIds.Validate(id, field);
        }
        catch (ArgumentException ex)
        {
            errors[field] = [ex.Message.Split(" (Parameter", 2)[0]];
        }
    }

    public static void DisplayName(string field, string? value, Dictionary<string, string[]> errors) =>
        Text(field, value, MaxDisplayNameLength, required: false, errors);

    public static void Plan(string field, string? value, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            errors[field] = ["A plan is required."];
        }
        else if (value.Length > MaxPlanLength || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            errors[field] = [$"A plan is 1 to {MaxPlanLength} letters, digits, '.', '_' or '-'."];
        }
    }

    public static void TokenName(string field, string? value, Dictionary<string, string[]> errors) =>
        Text(field, value, MaxTokenNameLength, required: false, errors);

    public static void ExpiresAt(string field, DateTimeOffset? value, DateTimeOffset now, Dictionary<string, string[]> errors)
    {
        if (value is { } at && at <= now)
        {
            errors[field] = ["The expiry must be in the future."];
        }
    }

    /// <summary>Checks a full config as given in a create; returns the record's config (defaults filled in).</summary>
    public static TenantConfig Config(string prefix, TenantConfigInput? input, Dictionary<string, string[]> errors)
    {
        input ??= new TenantConfigInput();
        var config = new TenantConfig
        {
            Provider = input.Provider ?? Defaults.Provider,
            Model = input.Model ?? Defaults.Model,
            ApiKey = input.ApiKey,
            BaseUrl = input.BaseUrl,
            AgentName = input.AgentName ?? Defaults.AgentName,
            SystemPrompt = input.SystemPrompt,
        };
        CheckConfig(prefix, config, errors);
        return config;
    }

    /// <summary>
    /// Applies a JSON merge-patch (RFC 7396) of config fields to <paramref name="current"/>: a field
    /// set to a string replaces it, <c>null</c> removes it (back to the default), an absent field
    /// stays. Unknown fields and non-string values are errors.
    /// </summary>
    public static TenantConfig Patch(TenantConfig current, JsonElement patch, Dictionary<string, string[]> errors)
    {
        if (patch.ValueKind != JsonValueKind.Object)
        {
            errors["$"] = ["A merge-patch of the config must be a JSON object."];
            return current;
        }

        var config = current;
        foreach (var property in patch.EnumerateObject())
        {
            string? value;
            if (property.Value.ValueKind == JsonValueKind.Null)
            {
                value = null;
            }
            else if (property.Value.ValueKind == JsonValueKind.String)
            {
                value = property.Value.GetString();
            }
            else
            {
                errors[property.Name] = ["Must be a string, or null to remove it."];
                continue;
            }

            switch (property.Name)
            {
                case "provider": config = config with { Provider = value ?? Defaults.Provider }; break;
                case "model": config = config with { Model = value ?? Defaults.Model }; break;
                case "apiKey": config = config with { ApiKey = value }; break;
                case "baseUrl": config = config with { BaseUrl = value }; break;
                case "agentName": config = config with { AgentName = value ?? Defaults.AgentName }; break;
                case "systemPrompt": config = config with { SystemPrompt = value }; break;
                default: errors[property.Name] = ["Not a config field (provider, model, apiKey, baseUrl, agentName, systemPrompt)."]; break;
            }
        }

        var checks = new Dictionary<string, string[]>();
        CheckConfig("", config, checks);
        foreach (var (field, messages) in checks)
        {
            errors.TryAdd(field, messages);
        }

        return config;
    }

    private static void CheckConfig(string prefix, TenantConfig config, Dictionary<string, string[]> errors)
    {
        if (!Providers.Contains(config.Provider, StringComparer.Ordinal))
        {
            errors[prefix + "provider"] = [$"Unknown provider; one of {string.Join(", ", Providers)}."];
        }

        Text(prefix + "model", config.Model, MaxModelLength, required: true, errors);
        Text(prefix + "apiKey", config.ApiKey, MaxApiKeyLength, required: false, errors);
        if (TenantSecrets.IsProtected(config.ApiKey))
        {
            // The registry keeps such values as already encrypted: a client must never pass one in
            // (it could be another tenant's encrypted key, which runs would then decrypt and send).
            errors[prefix + "apiKey"] = [$"Must be the plain key, not a value starting with '{TenantSecrets.Prefix}'."];
        }

        Text(prefix + "agentName", config.AgentName, MaxAgentNameLength, required: true, errors);
        if (config.SystemPrompt is { Length: > MaxSystemPromptLength })
        {
            errors[prefix + "systemPrompt"] = [$"At most {MaxSystemPromptLength} characters."];
        }

        if (config.BaseUrl is { } baseUrl)
        {
            if (baseUrl.Length > MaxBaseUrlLength
                || !Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri)
                || uri.Scheme is not ("http" or "https")
                || !string.IsNullOrEmpty(uri.UserInfo))
            {
                errors[prefix + "baseUrl"] = [$"An absolute http or https URL without credentials, at most {MaxBaseUrlLength} characters."];
            }
        }
    }

    private static void Text(string field, string? value, int maxLength, bool required, Dictionary<string, string[]> errors)
    {
        if (value is null || value.Length == 0)
        {
            if (required)
            {
                errors[field] = ["Required."];
            }
        }
        else if (value.Length > maxLength)
        {
            errors[field] = [$"At most {maxLength} characters."];
        }
        else if (value.Any(char.IsControl))
        {
            errors[field] = ["Control characters are not allowed."];
        }
    }
}
