using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Grains.Tenants;

namespace OpenClaw.Operations.Admin;

/// <summary><c>/admin/v1/tenants/{id}/tokens</c>: list, issue (plaintext once), rotate with an overlap, revoke.</summary>
internal static class TokenRoutes
{
    /// <summary>The longest rotation overlap accepted (30 days).</summary>
    public const long MaxOverlapSeconds = 30L * 24 * 3600;

    public static void MapTokenRoutes(this RouteGroupBuilder admin)
    {
        var tokens = admin.MapGroup("/tenants/{id}/tokens").WithTags("tokens");

        tokens.MapGet("", ListAsync)
            .WithName("ListTokens").WithSummary("The tenant's tokens, revoked and expired ones included (never their plaintext or hash).")
            .Produces<TokenListResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        tokens.MapPost("", IssueAsync)
            .WithName("IssueToken").WithSummary("Issues a token; its plaintext is in this answer and nowhere else.")
            .Accepts<TokenRequestBody>("application/json")
            .Produces<IssuedTokenView>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        tokens.MapPost("/{tokenId}/rotate", RotateAsync)
            .WithName("RotateToken").WithSummary("Issues a replacement; the old token keeps working for overlapSeconds (0: refused now), then is refused.")
            .Accepts<RotateTokenRequest>("application/json")
            .Produces<IssuedTokenView>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        tokens.MapDelete("/{tokenId}", RevokeAsync)
            .WithName("RevokeToken").WithSummary("Revokes a token now; sockets that used it are closed with 4001.")
            .Produces(StatusCodes.Status204NoContent).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
    }

    public static TenantTokenRequest ToRequest(TokenRequestBody body) => new()
    {
        Name = string.IsNullOrEmpty(body.Name) ? "default" : body.Name,
        ExpiresAt = body.ExpiresAt,
    };

    private static async Task<IResult> ListAsync(string id, ITenantRegistry registry, TimeProvider time, CancellationToken ct)
    {
        if (TenantRoutes.InvalidId(id) is { } invalid)
        {
            return invalid;
        }

        if (await registry.GetAsync(id, ct) is null)
        {
            return AdminProblems.TenantNotFound(id);
        }

        var now = time.GetUtcNow();
        var tokens = await registry.ListTokensAsync(id, ct);
        return Results.Json(new TokenListResponse([.. tokens.Select(token => TokenView.From(token, now))]), AdminJsonContext.Default.TokenListResponse);
    }

    private static async Task<IResult> IssueAsync(string id, HttpRequest request, ITenantRegistry registry, TimeProvider time, CancellationToken ct)
    {
        if (TenantRoutes.InvalidId(id) is { } invalid)
        {
            return invalid;
        }

        var (body, problem) = await AdminRequestBody.ReadAsync(request, AdminJsonContext.Default.TokenRequestBody, ct);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new Dictionary<string, string[]>();
        TenantInputRules.TokenName("name", body!.Name, errors);
        TenantInputRules.ExpiresAt("expiresAt", body.ExpiresAt, time.GetUtcNow(), errors);
        if (errors.Count > 0)
        {
            return AdminProblems.Fields(errors);
        }

        if (await registry.GetAsync(id, ct) is null)
        {
            return AdminProblems.TenantNotFound(id);
        }

        try
        {
            var issued = await registry.IssueTokenAsync(id, ToRequest(body), ct);
            return Results.Json(IssuedTokenView.From(issued, time.GetUtcNow()), AdminJsonContext.Default.IssuedTokenView, statusCode: StatusCodes.Status201Created);
        }
        catch (TenantNotFoundException)
        {
            return AdminProblems.TenantNotFound(id);
        }
    }

    private static async Task<IResult> RotateAsync(string id, string tokenId, HttpRequest request, TenantLifecycle lifecycle, TimeProvider time, CancellationToken ct)
    {
        if (TenantRoutes.InvalidId(id) is { } invalid)
        {
            return invalid;
        }

        var (body, problem) = await AdminRequestBody.ReadAsync(request, AdminJsonContext.Default.RotateTokenRequest, ct);
        if (problem is not null)
        {
            return problem;
        }

        if (body!.OverlapSeconds is not { } overlap || overlap < 0 || overlap > MaxOverlapSeconds)
        {
            return AdminProblems.Field("overlapSeconds", $"Required: seconds the old token keeps working, 0 to {MaxOverlapSeconds}.");
        }

        if (await lifecycle.Registry.GetAsync(id, ct) is null)
        {
            return AdminProblems.TenantNotFound(id);
        }

        if (!await HasValidTokenAsync(lifecycle.Registry, id, tokenId, time, ct))
        {
            return AdminProblems.TokenNotFound(id, tokenId);
        }

        try
        {
            var issued = await lifecycle.Registry.RotateTokenAsync(id, tokenId, TimeSpan.FromSeconds(overlap), ct);
            if (overlap == 0)
            {
                await lifecycle.NotifyChangedAsync(id, ct);
            }

            return Results.Json(IssuedTokenView.From(issued, time.GetUtcNow()), AdminJsonContext.Default.IssuedTokenView, statusCode: StatusCodes.Status201Created);
        }
        catch (TenantNotFoundException)
        {
            return AdminProblems.TokenNotFound(id, tokenId);
        }
    }

    private static async Task<IResult> RevokeAsync(string id, string tokenId, TenantLifecycle lifecycle, CancellationToken ct)
    {
        if (TenantRoutes.InvalidId(id) is { } invalid)
        {
            return invalid;
        }

        if (await lifecycle.Registry.GetAsync(id, ct) is null)
        {
            return AdminProblems.TenantNotFound(id);
        }

        // An id that cannot be a token id names no token: 404, like an unknown one (not the registry's ArgumentException).
        if (!TenantTokens.IsTokenId(tokenId) || !await lifecycle.Registry.RevokeTokenAsync(id, tokenId, ct))
        {
            return AdminProblems.TokenNotFound(id, tokenId);
        }

        await lifecycle.NotifyChangedAsync(id, ct);
        return Results.NoContent();
    }

    private static async Task<bool> HasValidTokenAsync(ITenantRegistry registry, string tenantId, string tokenId, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        return (await registry.ListTokensAsync(tenantId, ct)).Any(token => token.TokenId == tokenId && token.IsValidAt(now));
    }
}
