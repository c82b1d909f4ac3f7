using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OpenClaw.Grains.Tests.Egress;

/// <summary>
/// A local Kestrel server on a loopback address (random port) that records every request it
/// gets and answers with <c>respond</c>: stands in for an attacker's server or an internal service.
/// </summary>
public sealed class RecordingServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Recorded> _requests = new();

    private RecordingServer(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
    }

    /// <summary>http://address:port (no trailing slash).</summary>
    public Uri BaseUri { get; }

    public string BaseUrl => BaseUri.GetLeftPart(UriPartial.Authority);

    public int Port => BaseUri.Port;

    public IReadOnlyCollection<Recorded> Requests => _requests;

    public static async Task<RecordingServer> StartAsync(Func<HttpContext, Task>? respond = null, string address = "127.0.0.1", int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Parse(address), port));
        var app = builder.Build();
        RecordingServer? server = null;
        app.Run(async context =>
        {
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            server!._requests.Enqueue(new Recorded(context.Request.Method, context.Request.Path, headers));
            if (respond is null)
            {
                context.Response.StatusCode = 200;
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync("internal page: secret-internal-text");
            }
            else
            {
                await respond(context);
            }
        });
        await app.StartAsync();
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server = new RecordingServer(app, new Uri(bound.TrimEnd('/')));
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public sealed record Recorded(string Method, string Path, IReadOnlyDictionary<string, string> Headers);
}
