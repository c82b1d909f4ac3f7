using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenClaw.Grains.ControlPlane.ConfigSync;

// The wire shapes of GET {cloudBackendUrl}/openclaw/gateway/configs (docs/cloud-backend-api.md).
// Everything is nullable here: what is required, and how long each field may be, is checked by
// BackendPageValidator before anything of the page is applied.

/// <summary>One page of changed users, in the order the backend applies changes (updatedAt, then userId).</summary>
public sealed class BackendConfigsPage
{
    public List<BackendUser?>? Users { get; set; }

    /// <summary>Opaque position after the last user of this page; where the next request continues.</summary>
    public string? NextCursor { get; set; }

    public bool HasMore { get; set; }
}

/// <summary>A user (tenant) as the backend knows it: the whole current record, never a partial patch.</summary>
public sealed class BackendUser
{
    public string? UserId { get; set; }
    public string? DisplayName { get; set; }
    public string? Plan { get; set; }

    /// <summary><c>active</c>, <c>suspended</c> or <c>deleted</c>.</summary>
    public string? Status { get; set; }

    public BackendUserConfig? Config { get; set; }

    /// <summary>The user's gateway tokens, revoked ones included (a revocation is an entry with <c>revoked: true</c>).</summary>
    public List<BackendToken?>? Tokens { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }
}

public sealed class BackendUserConfig
{
    public string? Provider { get; set; }
    public string? Model { get; set; }
    public string? ApiKey { get; set; }
    public string? BaseUrl { get; set; }
    public string? AgentName { get; set; }
    public string? SystemPrompt { get; set; }
}

/// <summary>A gateway token known by the lowercase hex SHA-256 of its UTF-8 text; the gateway never sees the plaintext.</summary>
public sealed class BackendToken
{
    /// <summary>The backend's own id for the token (informational).</summary>
    public string? TokenId { get; set; }

    public string? Sha256 { get; set; }
    public string? Name { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public bool Revoked { get; set; }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    ReadCommentHandling = JsonCommentHandling.Disallow,
    AllowTrailingCommas = false,
    NumberHandling = JsonNumberHandling.Strict,
    MaxDepth = 16)]
[JsonSerializable(typeof(BackendConfigsPage))]
internal sealed partial class CloudBackendJsonContext : JsonSerializerContext;
