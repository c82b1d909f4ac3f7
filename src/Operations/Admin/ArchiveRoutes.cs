using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Operations.Admin;

/// <summary>
/// <c>GET /admin/v1/tenants/{id}/export</c> (one zip: see <see cref="TenantArchiveFormat"/>) and
/// <c>POST /admin/v1/tenants/import?mode=create|replace</c> (the zip as the body), for backup,
/// restore and moving a tenant between clusters. The LLM API key is excluded from archives: an
/// archive is a file that leaves the cluster, and the key is protected with this cluster's key
/// ring, which another cluster cannot read anyway; set it again with a config patch after an import.
/// </summary>
internal static class ArchiveRoutes
{
    public const string ZipContentType = "application/zip";

    public static void MapArchiveRoutes(this RouteGroupBuilder admin)
    {
        admin.MapGet("/tenants/{id}/export", ExportAsync).WithTags("archives")
            .WithName("ExportTenant").WithSummary("One zip with the tenant's config (without API key), tokens' metadata, sessions, transcripts and workspace files.")
            .Produces(StatusCodes.Status200OK, contentType: ZipContentType)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        admin.MapPost("/tenants/import", ImportAsync).WithTags("archives")
            .WithName("ImportTenant").WithSummary("Restores an exported zip. mode=create (default) needs a new tenant id; mode=replace overwrites the tenant's data and keeps its tokens and API key.")
            .Accepts<byte[]>(ZipContentType, "application/octet-stream")
            .Produces<TenantImportResponse>(StatusCodes.Status201Created)
            .Produces<TenantImportResponse>(StatusCodes.Status200OK)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
    }

    private static async Task<IResult> ExportAsync(string id, TenantLifecycle lifecycle, TimeProvider time, ILogger<TenantLifecycle> logger, CancellationToken ct)
    {
        if (TenantRoutes.InvalidId(id) is { } invalid)
        {
            return invalid;
        }

        var tenant = await lifecycle.Registry.GetAsync(id, ct);
        if (tenant is null)
        {
            return AdminProblems.TenantNotFound(id);
        }

        var now = time.GetUtcNow();
        var tokens = (await lifecycle.Registry.ListTokensAsync(id, ct)).Select(token => TokenView.From(token, now)).ToList();
        var state = await lifecycle.Grains.GetGrain<IUserGrainArchive>(id).Export(ct);
        var zip = TenantArchiveWriter.Write(tenant, tokens, state, now);
        AdminLog.TenantExported(logger, id, state.Records.Count, state.Files.Count, zip.LongLength);
        return Results.File(zip, ZipContentType, $"tenant-{id}-{now:yyyyMMddTHHmmssZ}.zip");
    }

    private static async Task<IResult> ImportAsync(string? mode, HttpRequest request, TenantLifecycle lifecycle, IOptions<TenantArchiveOptions> options,
        TimeProvider time, ILogger<TenantLifecycle> logger, CancellationToken ct)
    {
        mode ??= "create";
        if (mode is not ("create" or "replace"))
        {
            return AdminProblems.Field("mode", "create or replace.");
        }

        var limits = options.Value;
        byte[] bytes;
        try
        {
            bytes = request.ContentLength > limits.MaxArchiveBytes
                ? throw new InvalidDataException()
                : await AdminRequestBody.ReadBoundedAsync(request.Body, limits.MaxArchiveBytes, ct);
        }
        catch (InvalidDataException)
        {
            return AdminProblems.TooLarge($"Archives may be at most {limits.MaxArchiveBytes} bytes (admin:archive:maxArchiveBytes).");
        }

        var (archive, problem) = TenantArchiveReader.Read(bytes, limits);
        if (archive is null)
        {
            AdminLog.ImportRefused(logger, problem!);
            return AdminProblems.BadArchive(problem!);
        }

        var errors = new Dictionary<string, string[]>();
        TenantInputRules.TenantId("tenant.id", archive.Tenant.Id, errors);
        TenantInputRules.DisplayName("tenant.displayName", archive.Tenant.DisplayName, errors);
        TenantInputRules.Plan("tenant.plan", archive.Tenant.Plan, errors);
        var config = TenantInputRules.Config("tenant.config.", archive.Config with { ApiKey = null }, errors);
        if (!TenantStatusNames.TryParse(archive.Tenant.Status, out var status) || status == TenantStatus.Deleted)
        {
            errors["tenant.status"] = ["active or suspended."];
        }

        if (errors.Count > 0)
        {
            return AdminProblems.Fields(errors);
        }

        var id = archive.Tenant.Id!;
        var replace = mode == "replace";
        var existing = await lifecycle.Registry.GetAsync(id, ct);
        if (!replace && existing is not null)
        {
            return AdminProblems.Conflict($"Tenant '{id}' already exists; import with mode=replace to overwrite it.");
        }

        var result = await lifecycle.Grains.GetGrain<IUserGrainArchive>(id).Import(archive.State, replace, ct);
        switch (result.Outcome)
        {
            case TenantArchiveOutcome.Invalid:
                AdminLog.ImportRefused(logger, result.Problem ?? "invalid");
                return AdminProblems.BadArchive(result.Problem ?? "the archive's state is not valid");
            case TenantArchiveOutcome.Conflict:
                return AdminProblems.Conflict(result.Problem ?? $"Tenant '{id}' already has data.");
        }

        var record = TenantRecordFields.WithStatus(new TenantRecord
        {
            TenantId = id,
            DisplayName = archive.Tenant.DisplayName ?? id,
            Plan = archive.Tenant.Plan!,
            CreatedAt = archive.Tenant.CreatedAt == default ? time.GetUtcNow() : archive.Tenant.CreatedAt,
            // The key is never in an archive; a replace keeps the one this cluster has.
            Config = config with { ApiKey = existing?.Config.ApiKey },
        }, status);
        TenantRecord stored;
        if (replace)
        {
            stored = await lifecycle.Registry.UpsertAsync(record, ct);
            await lifecycle.NotifyChangedAsync(id, ct);
        }
        else
        {
            try
            {
                stored = await lifecycle.Registry.CreateAsync(record, ct);
                if (TenantRecordFields.StatusOf(stored) != status && await lifecycle.Registry.SetStatusAsync(id, status, ct))
                {
                    stored = await lifecycle.Registry.GetAsync(id, ct) ?? stored;
                }
            }
            catch (TenantAlreadyExistsException)
            {
                return AdminProblems.Conflict($"Tenant '{id}' already exists; import with mode=replace to overwrite it.");
            }
        }

        AdminLog.TenantImported(logger, id, mode, result.Records, result.Files);
        return Results.Json(new TenantImportResponse(TenantView.From(stored), mode, result.Records, result.Files, archive.Tokens),
            AdminJsonContext.Default.TenantImportResponse, statusCode: replace ? StatusCodes.Status200OK : StatusCodes.Status201Created);
    }
}
