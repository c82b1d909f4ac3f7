using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OpenClaw.Grains.Tests.ControlPlane;

/// <summary>
/// A Cloud Backend test double over real HTTP (Kestrel on 127.0.0.1, a free port) that speaks
/// docs/cloud-backend-api.md: <c>GET /openclaw/gateway/configs</c> with the service token, a change
/// feed ordered by a version sequence, <c>cursor</c> = <c>v&lt;last version seen&gt;</c>, <c>limit</c>,
/// <c>userId</c> for one user, 401 for a wrong token, 410 for a cursor older than
/// <see cref="ForgetCursorsBefore"/>. <see cref="Fault"/> replaces the answer (500, slow, garbage, …).
/// </summary>
internal sealed class FakeCloudBackend : IAsyncDisposable
{
    public const string ServiceToken = "svc-token-for-the-sync-tests-0123456789";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly WebApplication _app;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (BackendUserSpec User, long Version)> _users = new(StringComparer.Ordinal);
    private long _version;

    private FakeCloudBackend(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";

    /// <summary>Every request's query (cursor, limit, userId), in order.</summary>
    public ConcurrentQueue<(string? Cursor, int Limit, string? UserId)> Requests { get; } = new();

    /// <summary>When set, answers instead of the feed.</summary>
    public Func<HttpContext, Task>? Fault { get; set; }

    /// <summary>Cursors older than this version get 410 Gone.</summary>
    public long ForgetCursorsBefore { get; set; }

    public static async Task<FakeCloudBackend> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var backend = new FakeCloudBackend(app);
        app.MapGet("/openclaw/gateway/configs", backend.HandleAsync);
        await app.StartAsync();
        backend.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return backend;
    }

    /// <summary>Creates or changes a user: it gets the next version, so it is in the next incremental page.</summary>
    public void Put(BackendUserSpec user)
    {
        lock (_lock) _users[user.UserId] = (user, ++_version);
    }

    public BackendUserSpec Get(string userId)
    {
        lock (_lock) return _users[userId].User;
    }

    public void Update(string userId, Func<BackendUserSpec, BackendUserSpec> change) => Put(change(Get(userId)));

    private async Task HandleAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var limit = int.TryParse(query["limit"], out var l) ? l : 100;
        Requests.Enqueue((query["cursor"].FirstOrDefault(), limit, query["userId"].FirstOrDefault()));
        if (context.Request.Headers.Authorization.ToString() != "Bearer " + ServiceToken)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        if (Fault is { } fault)
        {
            await fault(context);
            return;
        }

        object page;
        lock (_lock)
        {
            if (query["userId"].FirstOrDefault() is { } userId)
            {
                var one = _users.TryGetValue(userId, out var entry) ? new[] { entry.User } : [];
                page = new { users = one, nextCursor = (string?)null, hasMore = false };
            }
            else
            {
                var after = query["cursor"].FirstOrDefault() is { } cursor ? long.Parse(cursor.AsSpan(1)) : 0;
                if (after > 0 && after < ForgetCursorsBefore)
                {
                    context.Response.StatusCode = StatusCodes.Status410Gone;
                    return;
                }

                var changed = _users.Values.Where(u => u.Version > after).OrderBy(u => u.Version).ToList();
                var taken = changed.Take(limit).ToList();
                var next = taken.Count > 0 ? taken[^1].Version : after;
                page = new { users = taken.Select(u => u.User).ToArray(), nextCursor = "v" + next, hasMore = changed.Count > taken.Count };
            }
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(page, Json));
    }

    // ---- faults --------------------------------------------------------------------------------

    public static Func<HttpContext, Task> Status(int status) => context =>
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsync("{\"error\":\"boom\"}");
    };

    public static Func<HttpContext, Task> Slow(TimeSpan delay) => async context =>
    {
        try
        {
            await Task.Delay(delay, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        await context.Response.WriteAsync("""{"users":[],"hasMore":false}""");
    };

    public static Func<HttpContext, Task> Body(string body) => context =>
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body);
    };

    /// <summary>Announces more bytes than it sends, then drops the connection.</summary>
    public static Func<HttpContext, Task> TruncatedBody(string body) => async context =>
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes.AsMemory(0, bytes.Length / 2));
        await context.Response.Body.FlushAsync();
        context.Abort();
    };

    /// <summary>A valid JSON document (chunked, no length announced) far beyond any sensible page.</summary>
    public static Func<HttpContext, Task> HugeBody(int users) => async context =>
    {
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync("""{"users":[""");
        for (var i = 0; i < users; i++)
        {
            if (context.RequestAborted.IsCancellationRequested) return;
            await context.Response.WriteAsync((i == 0 ? "" : ",") + $$"""{"userId":"huge-{{i}}","status":"active","displayName":"{{new string('x', 150)}}"}""");
        }

        await context.Response.WriteAsync("""],"hasMore":false}""");
    };

    public static Func<HttpContext, Task> Drop() => context =>
    {
        context.Abort();
        return Task.CompletedTask;
    };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>A user as the test double serves it (the contract's JSON names).</summary>
internal sealed record BackendUserSpec
{
    public required string UserId { get; init; }
    public string DisplayName { get; init; } = "";
    public string Plan { get; init; } = "free";
    public string Status { get; init; } = "active";
    public BackendConfigSpec Config { get; init; } = new();
    public BackendTokenSpec[] Tokens { get; init; } = [];
    public DateTimeOffset UpdatedAt { get; init; } = DateTimeOffset.UtcNow;
}

internal sealed record BackendConfigSpec
{
    public string Provider { get; init; } = "echo";
    public string Model { get; init; } = "echo-1";
    public string? ApiKey { get; init; }
    public string? BaseUrl { get; init; }
    public string AgentName { get; init; } = "Claw";
    public string? SystemPrompt { get; init; }
}

internal sealed record BackendTokenSpec
{
    public string? TokenId { get; init; }
    public required string Sha256 { get; init; }
    public string Name { get; init; } = "default";
    public DateTimeOffset? ExpiresAt { get; init; }
    public bool Revoked { get; init; }
}
