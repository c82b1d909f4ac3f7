using OpenClaw.Grains.Interfaces;
using OpenClaw.Grains.Secrets;
using OpenClaw.Grains.Tenants;

namespace OpenClaw.Grains.ControlPlane.ConfigSync;

/// <summary>
/// Checks a parsed page against the contract and turns it into registry records. The first problem
/// fails the whole page with a message that names the field (<c>users[3].tokens[0].sha256</c>) but
/// never echoes a secret value.
/// </summary>
public static class BackendPageValidator
{
    public static ValidatedPage Validate(BackendConfigsPage? page, int requestedLimit)
    {
        if (page is null) throw Invalid("the body is JSON null");
        var users = page.Users ?? throw Invalid("users is missing");
        if (users.Count > Math.Min(requestedLimit, BackendLimits.MaxUsersPerPage))
            throw Invalid($"users holds {users.Count} entries, more than the requested limit {requestedLimit}");
        if (page.HasMore && string.IsNullOrEmpty(page.NextCursor)) throw Invalid("hasMore is true but nextCursor is missing");
        if (page.NextCursor is { } cursor) CheckCursor(cursor);

        var tenants = new List<SyncedTenant>(users.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < users.Count; i++)
        {
            var tenant = ValidateUser(users[i], $"users[{i}]");
            if (!seen.Add(tenant.Record.TenantId)) throw Invalid($"users[{i}].userId repeats a user of the same page");
            tenants.Add(tenant);
        }

        return new ValidatedPage(tenants, page.NextCursor, page.HasMore);
    }

    private static SyncedTenant ValidateUser(BackendUser? user, string path)
    {
        if (user is null) throw Invalid($"{path} is null");
        if (!TenantIds.IsValid(user.UserId))
            throw Invalid($"{path}.userId is not a valid tenant id (1-{TenantIds.MaxLength} characters of A-Z, a-z, 0-9, '.', '_', '-')");
        var status = user.Status switch
        {
            "active" => TenantStatus.Active,
            "suspended" => TenantStatus.Suspended,
            "deleted" => TenantStatus.Deleted,
            _ => throw Invalid($"{path}.status must be 'active', 'suspended' or 'deleted'"),
        };
        CheckLength(user.DisplayName, BackendLimits.MaxDisplayNameChars, $"{path}.displayName");
        if (user.Plan is not null && (user.Plan.Length is 0 or > BackendLimits.MaxPlanChars || !IsIdentifier(user.Plan)))
            throw Invalid($"{path}.plan must be 1-{BackendLimits.MaxPlanChars} characters of A-Z, a-z, 0-9, '.', '_', '-'");

        var config = ValidateConfig(user.Config, $"{path}.config");
        var tokens = user.Tokens ?? [];
        if (tokens.Count > BackendLimits.MaxTokensPerUser)
            throw Invalid($"{path}.tokens holds more than {BackendLimits.MaxTokensPerUser} tokens");
        var synced = new List<SyncedToken>(tokens.Count);
        for (var t = 0; t < tokens.Count; t++)
        {
            synced.Add(ValidateToken(tokens[t], $"{path}.tokens[{t}]"));
        }

        var record = new TenantRecord
        {
            TenantId = user.UserId!,
            DisplayName = user.DisplayName ?? "",
            Plan = user.Plan ?? "free",
            Status = status,
            Config = config,
        };
        return new SyncedTenant(record, status, synced);
    }

    private static TenantConfig ValidateConfig(BackendUserConfig? config, string path)
    {
        if (config is null) return new TenantConfig();
        var defaults = new TenantConfig();
        if (config.Provider is not null && (config.Provider.Length is 0 or > BackendLimits.MaxProviderChars || !IsIdentifier(config.Provider)))
            throw Invalid($"{path}.provider must be 1-{BackendLimits.MaxProviderChars} characters of A-Z, a-z, 0-9, '.', '_', '-'");
        CheckLength(config.Model, BackendLimits.MaxModelChars, $"{path}.model");
        CheckLength(config.ApiKey, BackendLimits.MaxApiKeyChars, $"{path}.apiKey");
        if (TenantSecrets.IsProtected(config.ApiKey))
            throw Invalid($"{path}.apiKey must be the plain key, not a value starting with '{TenantSecrets.Prefix}'");
        CheckLength(config.AgentName, BackendLimits.MaxAgentNameChars, $"{path}.agentName");
        CheckLength(config.SystemPrompt, BackendLimits.MaxSystemPromptChars, $"{path}.systemPrompt");
        if (config.BaseUrl is not null)
        {
            CheckLength(config.BaseUrl, BackendLimits.MaxBaseUrlChars, $"{path}.baseUrl");
            if (!Uri.TryCreate(config.BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                throw Invalid($"{path}.baseUrl must be an absolute http or https URL");
        }

        return new TenantConfig
        {
            Provider = string.IsNullOrEmpty(config.Provider) ? defaults.Provider : config.Provider,
            Model = string.IsNullOrEmpty(config.Model) ? defaults.Model : config.Model,
            ApiKey = string.IsNullOrEmpty(config.ApiKey) ? null : config.ApiKey,
            BaseUrl = string.IsNullOrEmpty(config.BaseUrl) ? null : config.BaseUrl,
            AgentName = string.IsNullOrEmpty(config.AgentName) ? defaults.AgentName : config.AgentName,
            SystemPrompt = string.IsNullOrEmpty(config.SystemPrompt) ? null : config.SystemPrompt,
        };
    }

    private static SyncedToken ValidateToken(BackendToken? token, string path)
    {
        if (token is null) throw Invalid($"{path} is null");
        if (token.Sha256 is not { Length: BackendLimits.Sha256HexChars } hash || !hash.All(char.IsAsciiHexDigitLower))
            throw Invalid($"{path}.sha256 must be the {BackendLimits.Sha256HexChars} lowercase hex characters of the token's SHA-256");
        CheckLength(token.Name, BackendLimits.MaxTokenNameChars, $"{path}.name");
        CheckLength(token.TokenId, BackendLimits.MaxTokenIdChars, $"{path}.tokenId");
        return new SyncedToken(hash, string.IsNullOrWhiteSpace(token.Name) ? "backend" : token.Name, token.ExpiresAt, token.Revoked);
    }

    private static void CheckCursor(string cursor)
    {
        if (cursor.Length > BackendLimits.MaxCursorChars || cursor.Any(c => c is < '!' or > '~'))
            throw Invalid($"nextCursor must be at most {BackendLimits.MaxCursorChars} printable ASCII characters without spaces");
    }

    private static void CheckLength(string? value, int max, string path)
    {
        if (value is not null && value.Length > max) throw Invalid($"{path} is longer than {max} characters");
    }

    private static bool IsIdentifier(string value) => value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    private static CloudBackendException Invalid(string problem) => new($"The backend's page breaks the contract: {problem}.");
}
