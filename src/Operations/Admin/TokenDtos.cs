using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Operations.Admin;

/// <summary>A token as operators see it: never its plaintext or hash.</summary>
public sealed record TokenView
{
    public required string TokenId { get; init; }
    public string Name { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public DateTimeOffset? LastUsedAt { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>Not revoked and not expired when the answer was made.</summary>
    public bool Valid { get; init; }

    public static TokenView From(TenantTokenInfo token, DateTimeOffset now) => new()
    {
        TokenId = token.TokenId,
        Name = token.Name,
        CreatedAt = token.CreatedAt,
        ExpiresAt = token.ExpiresAt,
        LastUsedAt = token.LastUsedAt,
        RevokedAt = token.RevokedAt,
        Valid = token.IsValidAt(now),
    };
}

/// <summary>A token just issued or rotated: <see cref="Plaintext"/> is shown this once and stored nowhere.</summary>
public sealed record IssuedTokenView(TokenView Token, string Plaintext)
{
    public static IssuedTokenView From(IssuedTenantToken issued, DateTimeOffset now) => new(TokenView.From(issued.Token, now), issued.Plaintext);
}

/// <summary>The body of <c>POST /admin/v1/tenants/{id}/tokens</c> (and <c>token</c> in a create).</summary>
public sealed record TokenRequestBody
{
    public string? Name { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
}

/// <summary>The body of <c>POST /admin/v1/tenants/{id}/tokens/{tokenId}/rotate</c>: how long the old token keeps working.</summary>
public sealed record RotateTokenRequest
{
    public long? OverlapSeconds { get; init; }
}

public sealed record TokenListResponse(IReadOnlyList<TokenView> Tokens);
