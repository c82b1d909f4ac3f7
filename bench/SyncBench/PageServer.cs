using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OpenClaw.Bench.Sync;

/// <summary>
/// A Cloud Backend that serves pages prepared before the measurement (so the measured allocations are
/// the gateway's, not the backend's serializer): <c>cursor</c> → the page's bytes.
/// </summary>
internal sealed class PageServer : IAsyncDisposable
{
    public const string Token = "bench-service-token-0123456789abcdef";
    private readonly WebApplication _app;
    private Dictionary<string, byte[]> _pages = new();

    private PageServer(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";

    public static async Task<PageServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new PageServer(app);
        app.MapGet("/openclaw/gateway/configs", async (HttpContext context) =>
        {
            var cursor = context.Request.Query["cursor"].FirstOrDefault() ?? "";
            if (!server._pages.TryGetValue(cursor, out var page))
            {
                page = """{"users":[],"hasMore":false}"""u8.ToArray();
            }

            context.Response.ContentType = "application/json";
            context.Response.ContentLength = page.Length;
            await context.Response.Body.WriteAsync(page);
        });
        await app.StartAsync();
        server.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return server;
    }

    /// <summary>
    /// Prepares a change feed of <paramref name="users"/> users (each with one token and a config on
    /// <paramref name="model"/>) in pages of <paramref name="pageSize"/>, continuing after <paramref name="startCursor"/>.
    /// Returns the cursor after the last page.
    /// </summary>
    public string Prepare(int users, int pageSize, string model, string startCursor, int round)
    {
        var pages = new Dictionary<string, byte[]>();
        var cursor = startCursor;
        for (var start = 0; start < users; start += pageSize)
        {
            var next = $"r{round}p{start / pageSize + 1}";
            var batch = Enumerable.Range(start, Math.Min(pageSize, users - start)).Select(i => new
            {
                userId = $"user-{i:D6}",
                displayName = $"User {i}",
                plan = i % 10 == 0 ? "pro" : "free",
                status = "active",
                config = new { provider = "openai", model, apiKey = $"sk-bench-{i:D6}-0123456789abcdef", baseUrl = "https://api.openai.com/v1", agentName = "Claw" },
                tokens = new[] { new { sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes($"oct_bench_{i}"))), name = "app", revoked = false } },
                updatedAt = DateTimeOffset.UtcNow,
            });
            var hasMore = start + pageSize < users;
            pages[cursor] = JsonSerializer.SerializeToUtf8Bytes(new { users = batch, nextCursor = next, hasMore });
            cursor = next;
        }

        _pages = pages;
        return cursor;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
