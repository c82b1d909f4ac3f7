using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenClaw.Grains.ControlPlane;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Operations.Stats;

namespace OpenClaw.Operations.Admin;

/// <summary>
/// Cluster-wide operator routes: <c>GET stats</c> (every silo's figures), <c>GET users?active=true</c>
/// (tenants active in memory, with their silo, keyset paged) and <c>POST users/cleanup</c>
/// (deactivate idle tenants now on every silo). Registered tenants are listed by <c>/tenants</c>.
/// </summary>
public static class ClusterAdminEndpoints
{
    public const int DefaultListLimit = 100;
    public const int MaxAfterLength = 256;

    /// <summary>The longest idle age a cleanup accepts (one year): anything longer is a typo.</summary>
    public const long MaxIdleSeconds = 366L * 24 * 3600;

    public static RouteGroupBuilder MapClusterAdmin(this RouteGroupBuilder group)
    {
        ArgumentNullException.ThrowIfNull(group);
        group.MapGet("/stats", (IClusterStatsReader reader, CancellationToken ct) => reader.ReadAsync(ct))
            .WithName("GetClusterStats")
            .WithSummary("Every silo's figures (activations, CPU, memory, calls) and the tenant counts.");
        group.MapGet("/users", ListActiveAsync)
            .WithName("ListActiveUsers")
            .WithSummary("Tenants active in memory across the cluster, with the silo each is on (keyset paged by tenant id).")
            .ProducesValidationProblem();
        group.MapPost("/users/cleanup", CleanupAsync)
            .WithName("CleanupIdleUsers")
            .WithSummary("Deactivates now the tenants idle longer than idleSeconds (default: the configured idle timeout) on every silo.")
            .ProducesValidationProblem();
        return group;
    }

    private static async Task<IResult> ListActiveAsync(
        HttpRequest request, SiloFanOut fanOut, IOptions<ClusterStatsOptions> options, CancellationToken ct)
    {
        var query = request.Query;
        var errors = new Dictionary<string, string[]>();
        if (query.TryGetValue("active", out var active) && !string.Equals(active.ToString(), "true", StringComparison.OrdinalIgnoreCase))
            errors["active"] = ["Only active=true is served here; registered tenants are listed by GET /admin/v1/tenants."];
        var limit = DefaultListLimit;
        if (query.TryGetValue("limit", out var limitText)
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > SiloControlGrain.MaxListLimit))
            errors["limit"] = [$"limit must be a whole number from 1 to {SiloControlGrain.MaxListLimit}."];
        string? after = query.TryGetValue("after", out var afterText) && afterText.ToString().Length > 0 ? afterText.ToString() : null;
        if (after is { Length: > MaxAfterLength }) errors["after"] = [$"after must be at most {MaxAfterLength} characters."];
        if (errors.Count > 0) return Results.ValidationProblem(errors);

        var gathered = await fanOut.CallAllAsync((silo, token) => silo.ListActive(after, limit, token), options.Value.SiloTimeout, ct);
        // Each silo returned its first `limit` ids after `after`; the first `limit` of their union are the page.
        var merged = gathered.Answers
            .SelectMany(page => page.Tenants.Select(id => new ActiveTenant(id, page.Silo)))
            .OrderBy(t => t.TenantId, StringComparer.Ordinal)
            .ToList();
        var more = merged.Count > limit || gathered.Answers.Any(page => page.NextAfter is not null);
        var tenants = merged.Take(limit).ToArray();
        return Results.Ok(new ActiveTenantsPage(
            tenants,
            more && tenants.Length > 0 ? tenants[^1].TenantId : null,
            gathered.Unreachable));
    }

    private static async Task<IResult> CleanupAsync(
        HttpRequest request, SiloFanOut fanOut, IOptions<ClusterStatsOptions> options, ILoggerFactory loggers, CancellationToken ct)
    {
        TimeSpan? idleFor = null;
        if (request.Query.TryGetValue("idleSeconds", out var idleText))
        {
            if (!long.TryParse(idleText, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > MaxIdleSeconds)
                return Results.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["idleSeconds"] = [$"idleSeconds must be a whole number of seconds from 0 to {MaxIdleSeconds}."],
                });
            idleFor = TimeSpan.FromSeconds(seconds);
        }
        var gathered = await fanOut.CallAllAsync((silo, token) => silo.CollectIdle(idleFor, token), options.Value.CleanupTimeout, ct);
        var perSilo = gathered.Answers
            .OrderBy(r => r.Silo, StringComparer.Ordinal)
            .Select(r => new SiloCleanup(r.Silo, r.Deactivated, (long)r.IdleFor.TotalSeconds, r.ActiveAfter))
            .ToArray();
        var deactivated = perSilo.Sum(r => r.Deactivated);
        OperationsStatsLog.CleanupDone(loggers.CreateLogger(typeof(ClusterAdminEndpoints).FullName!), deactivated, idleFor ?? TimeSpan.Zero, perSilo.Length, gathered.Unreachable.Count);
        return Results.Ok(new CleanupResponse(deactivated, perSilo, gathered.Unreachable));
    }
}

public sealed record ActiveTenant(string TenantId, string Silo);

public sealed record ActiveTenantsPage(IReadOnlyList<ActiveTenant> Tenants, string? NextAfter, IReadOnlyList<UnreachableSilo> Unreachable);

public sealed record SiloCleanup(string Silo, int Deactivated, long IdleSeconds, int ActiveAfter);

public sealed record CleanupResponse(int Deactivated, IReadOnlyList<SiloCleanup> PerSilo, IReadOnlyList<UnreachableSilo> Unreachable);
