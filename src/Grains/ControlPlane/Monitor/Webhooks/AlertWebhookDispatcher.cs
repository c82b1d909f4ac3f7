using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenClaw.Grains.ControlPlane.Monitor.Handlers;

namespace OpenClaw.Grains.ControlPlane.Monitor.Webhooks;

/// <summary>
/// The webhook handler: hands each alert to every configured <see cref="WebhookEndpoint"/> (a
/// queue and a sending loop each, so one dead receiver does not hold back the others). Runs in
/// every silo; only the silo hosting the monitor grain has anything to send. Redirects are not
/// followed: a signed body goes only where the operator pointed it.
/// </summary>
public sealed class AlertWebhookDispatcher : IAlertHandler, IHostedService, IDisposable
{
    private readonly IReadOnlyList<WebhookEndpoint> _endpoints;
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _loops = [];
    private int _disposed;

    public AlertWebhookDispatcher(IOptions<MonitorOptions> options, TimeProvider time, ILogger<AlertWebhookDispatcher> logger)
    {
        var settings = options.Value;
        _http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromMilliseconds(settings.Delivery.RequestTimeoutMs),
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _endpoints = settings.Webhooks.Select(w => new WebhookEndpoint(w, settings.Delivery, _http, time, logger)).ToList();
    }

    public IReadOnlyList<WebhookEndpointStatus> Status() => _endpoints.Select(e => e.Status()).ToList();

    public void Publish(AlertTransition transition)
    {
        foreach (var endpoint in _endpoints) endpoint.TryEnqueue(transition);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var endpoint in _endpoints) _loops.Add(Task.Run(() => endpoint.RunAsync(_stopping.Token), CancellationToken.None));
        return Task.CompletedTask;
    }

    /// <summary>Stops at once: a receiver being retried must not hold up the silo's shutdown (the alerts stay in the grain's history).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var endpoint in _endpoints) endpoint.Complete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_loops).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Idempotent: the container disposes the one instance once per service type it is registered as.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stopping.Cancel();
        _stopping.Dispose();
        _http.Dispose();
    }
}
