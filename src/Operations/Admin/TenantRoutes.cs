using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Runtime;

namespace OpenClaw.Operations.Admin;

/// <summary>
/// <c>/admin/v1/tenants</c>: create, list (keyset paging, filter by status and plan), get, suspend,
/// resume, purge, config merge-patch and plan. Bodies are read by <see cref="AdminRequestBody"/>
/// (400 naming the field), ids checked with the tenant id rules before the registry is asked.
/// </summary>
internal static class TenantRoutes
{
    public static void MapTenantRoutes(this RouteGroupBuilder admin)
    {
        var tenants = admin.MapGroup("/tenants").WithTags("tenants");

        tenants.MapPost("", CreateAsync)
            .WithName("CreateTenant").WithSummary("Creates a tenant, optionally with a first token (its plaintext is returned once).")
            .Accepts<CreateTenantRequest>("application/json")
            .Produces<CreatedTenantResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        tenants.MapGet("", ListAsync)
            .WithName("ListTenants").WithSummary("One page of tenants in id order, after `after`; filter by status and plan.")
            .Produces<TenantListResponse>().ProducesValidationProblem();

        tenants.MapGet("/{id}", GetAsync)
            .WithName("GetTenant").WithSummary("One tenant (its API key is never shown: apiKeySet says whether one is set).")
            .Produces<TenantView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        tenants.MapPost("/{id}/suspend", (string id, TenantLifecycle lifecycle, CancellationToken ct) => SetStatusAsync(id, TenantStatus.Suspended, lifecycle, ct))
            .WithName("SuspendTenant").WithSummary("Suspends a tenant: its tokens stop authenticating and its live sockets are closed with 4001.")
            .Produces<TenantView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        tenants.MapPost("/{id}/resume", (string id, TenantLifecycle lifecycle, CancellationToken ct) => SetStatusAsync(id, TenantStatus.Active, lifecycle, ct))
            .WithName("ResumeTenant").WithSummary("Makes a suspended tenant active again; its tokens work again.")
            .Produces<TenantView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        tenants.MapDelete("/{id}", PurgeAsync)
            .WithName("DeleteTenant").WithSummary("Purges everything of a tenant: sessions, transcripts, profile, workspace files, tokens and its registry row.")
            .Produces<TenantPurgeResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        tenants.MapPatch("/{id}/config", PatchConfigAsync)
            .WithName("PatchTenantConfig").WithSummary("JSON merge-patch of the config: a string sets a field, null removes it (back to its default).")
            .Accepts<TenantConfigInput>("application/merge-patch+json", "application/json")
            .Produces<TenantView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        tenants.MapPut("/{id}/plan", SetPlanAsync)
            .WithName("SetTenantPlan").WithSummary("Sets the tenant's plan.")
            .Accepts<SetPlanRequest>("application/json")
            .Produces<TenantView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, ITenantRegistry registry, TimeProvider time, CancellationToken ct)
    {
        var (body, problem) = await AdminRequestBody.ReadAsync(request, AdminJsonContext.Default.CreateTenantRequest, ct);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new Dictionary<string, string[]>();
        TenantInputRules.TenantId("id", body!.Id, errors);
        TenantInputRules.DisplayName("displayName", body.DisplayName, errors);
        var plan = body.Plan ?? "free";
        TenantInputRules.Plan("plan", plan, errors);
        var config = TenantInputRules.Config("config.", body.Config, errors);
        if (body.Token is { } token)
        {
            TenantInputRules.TokenName("token.name", token.Name, errors);
            TenantInputRules.ExpiresAt("token.expiresAt", token.ExpiresAt, time.GetUtcNow(), errors);
        }

        if (errors.Count > 0)
        {
            return AdminProblems.Fields(errors);
        }

        TenantRecord created;
        try
        {
            created = await registry.CreateAsync(new TenantRecord
            {
                TenantId = body.Id!,
                DisplayName = body.DisplayName ?? body.Id!,
                Plan = plan,
                CreatedAt = time.GetUtcNow(),
                Config = config,
            }, ct);
        }
        catch (TenantAlreadyExistsException)
        {
            return AdminProblems.Conflict($"Tenant '{body.Id}' already exists.");
        }

        IssuedTokenView? issued = null;
        if (body.Token is { } tokenRequest)
        {
            var result = await registry.IssueTokenAsync(created.TenantId, TokenRoutes.ToRequest(tokenRequest), ct);
            issued = IssuedTokenView.From(result, time.GetUtcNow());
        }

        return Results.Json(new CreatedTenantResponse(TenantView.From(created), issued), AdminJsonContext.Default.CreatedTenantResponse,
            statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> ListAsync(string? status, string? plan, string? after, string? limit, ITenantRegistry registry, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        TenantStatus? statusFilter = null;
        if (status is not null)
        {
            if (TenantStatusNames.TryParse(status, out var parsed))
            {
                statusFilter = parsed;
            }
            else
            {
                errors["status"] = ["One of active, suspended, deleted."];
            }
        }

        if (plan is not null)
        {
            TenantInputRules.Plan("plan", plan, errors);
        }

        if (after is not null)
        {
            TenantInputRules.TenantId("after", after, errors);
        }

        var pageSize = 100;
        if (limit is not null && (!int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out pageSize)
            || pageSize is < 1 or > TenantQuery.MaxLimit))
        {
            errors["limit"] = [$"A whole number between 1 and {TenantQuery.MaxLimit}."];
        }

        if (errors.Count > 0)
        {
            return AdminProblems.Fields(errors);
        }

        var page = await registry.ListAsync(new TenantQuery { After = after, Limit = pageSize, Status = statusFilter, Plan = plan }, ct);
        return Results.Json(new TenantListResponse([.. page.Tenants.Select(TenantView.From)], page.NextAfter), AdminJsonContext.Default.TenantListResponse);
    }

    private static async Task<IResult> GetAsync(string id, ITenantRegistry registry, CancellationToken ct)
    {
        if (InvalidId(id) is { } invalid)
        {
            return invalid;
        }

        var tenant = await registry.GetAsync(id, ct);
        return tenant is null ? AdminProblems.TenantNotFound(id) : Results.Json(TenantView.From(tenant), AdminJsonContext.Default.TenantView);
    }

    private static async Task<IResult> SetStatusAsync(string id, TenantStatus status, TenantLifecycle lifecycle, CancellationToken ct)
    {
        if (InvalidId(id) is { } invalid)
        {
            return invalid;
        }

        var tenant = await lifecycle.Registry.GetAsync(id, ct);
        if (tenant is null)
        {
            return AdminProblems.TenantNotFound(id);
        }

        if (TenantRecordFields.StatusOf(tenant) == TenantStatus.Deleted)
        {
            return AdminProblems.Conflict($"Tenant '{id}' is deleted; it can only be purged.");
        }

        if (!await lifecycle.Registry.SetStatusAsync(id, status, ct))
        {
            return AdminProblems.TenantNotFound(id);
        }

        await lifecycle.NotifyChangedAsync(id, ct);
        var updated = await lifecycle.Registry.GetAsync(id, ct);
        return updated is null ? AdminProblems.TenantNotFound(id) : Results.Json(TenantView.From(updated), AdminJsonContext.Default.TenantView);
    }

    private static async Task<IResult> PurgeAsync(string id, TenantLifecycle lifecycle, CancellationToken ct)
    {
        if (InvalidId(id) is { } invalid)
        {
            return invalid;
        }

        var result = await lifecycle.PurgeAsync(id, ct);
        return result is null ? AdminProblems.TenantNotFound(id) : Results.Json(result, AdminJsonContext.Default.TenantPurgeResponse);
    }

    private static async Task<IResult> PatchConfigAsync(string id, HttpRequest request, TenantLifecycle lifecycle, CancellationToken ct)
    {
        if (InvalidId(id) is { } invalid)
        {
            return invalid;
        }

        var (document, problem) = await AdminRequestBody.ReadDocumentAsync(request, ct);
        if (problem is not null)
        {
            return problem;
        }

        using (document)
        {
            var tenant = await lifecycle.Registry.GetAsync(id, ct);
            if (tenant is null)
            {
                return AdminProblems.TenantNotFound(id);
            }

            var errors = new Dictionary<string, string[]>();
            var config = TenantInputRules.Patch(tenant.Config, document!.RootElement, errors);
            if (errors.Count > 0)
            {
                return AdminProblems.Fields(errors);
            }

            var stored = await lifecycle.Registry.UpsertAsync(tenant with { Config = config }, ct);
            await lifecycle.NotifyChangedAsync(id, ct);
            return Results.Json(TenantView.From(stored), AdminJsonContext.Default.TenantView);
        }
    }

    private static async Task<IResult> SetPlanAsync(string id, HttpRequest request, TenantLifecycle lifecycle, CancellationToken ct)
    {
        if (InvalidId(id) is { } invalid)
        {
            return invalid;
        }

        var (body, problem) = await AdminRequestBody.ReadAsync(request, AdminJsonContext.Default.SetPlanRequest, ct);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new Dictionary<string, string[]>();
        TenantInputRules.Plan("plan", body!.Plan, errors);
        if (errors.Count > 0)
        {
            return AdminProblems.Fields(errors);
        }

        var tenant = await lifecycle.Registry.GetAsync(id, ct);
        if (tenant is null)
        {
            return AdminProblems.TenantNotFound(id);
        }

        var stored = await lifecycle.Registry.UpsertAsync(tenant with { Plan = body.Plan! }, ct);
        await lifecycle.NotifyChangedAsync(id, ct);
        return Results.Json(TenantView.From(stored), AdminJsonContext.Default.TenantView);
    }

    /// <summary>A 400 naming <c>id</c> when the route's tenant id breaks the tenant id rules.</summary>
    public static IResult? InvalidId(string id)
    {
        var errors = new Dictionary<string, string[]>();
        TenantInputRules.TenantId("id", id, errors);
        return errors.Count > 0 ? AdminProblems.Fields(errors) : null;
    }
}
