using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace OpenClaw.Grains.ControlPlane.Monitor.Webhooks;

/// <summary>
/// One webhook: a bounded queue of deliveries and the loop that sends them, one at a time and in
/// order, each retried with exponential backoff up to the attempt cap. The monitor only enqueues
/// (never waits); when the queue is full the new delivery is dropped, counted and logged. A dead
/// receiver therefore costs one full queue and one sleeping loop, never the monitor's turn.
/// </summary>
internal sealed class WebhookEndpoint
{
    private readonly AlertWebhookOptions _options;
    private readonly WebhookDeliveryOptions _delivery;
    private readonly Uri _url;
    private readonly byte[]? _secret;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<Delivery> _queue;
    private long _enqueued;
    private long _delivered;
    private long _failed;
    private long _dropped;
    private long _attempts;
    private long _nextAttemptTicks;
    private string? _lastError;

    public WebhookEndpoint(AlertWebhookOptions options, WebhookDeliveryOptions delivery, HttpClient http, TimeProvider time, ILogger logger)
    {
        if (!MonitorOptionsValidator.TryParseWebhookUrl(options.Url, out var url))
            throw new ArgumentException("A webhook URL must be an absolute http(s) URL.", nameof(options));
        _options = options;
        _delivery = delivery;
        _url = url;
        _secret = string.IsNullOrEmpty(options.Secret) ? null : Encoding.UTF8.GetBytes(options.Secret);
        _http = http;
        _time = time;
        _logger = logger;
        _queue = Channel.CreateBounded<Delivery>(new BoundedChannelOptions(delivery.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        Display = url.GetLeftPart(UriPartial.Authority);
    }

    /// <summary>Scheme, host and port only: the path of a Slack webhook URL is its secret.</summary>
    public string Display { get; }

    public WebhookEndpointStatus Status()
    {
        var next = Interlocked.Read(ref _nextAttemptTicks);
        return new WebhookEndpointStatus(Display, _options.Format, Interlocked.Read(ref _enqueued), Interlocked.Read(ref _delivered),
            Interlocked.Read(ref _failed), Interlocked.Read(ref _dropped), Interlocked.Read(ref _attempts), _queue.Reader.Count,
            next == 0 ? null : new DateTimeOffset(next, TimeSpan.Zero), Volatile.Read(ref _lastError));
    }

    /// <summary>Queues the transition; false (and counted as dropped) when the queue is full.</summary>
    public bool TryEnqueue(AlertTransition transition)
    {
        var deliveryId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var body = AlertPayloadWriter.Write(_options.Format, transition, deliveryId);
        if (_queue.Writer.TryWrite(new Delivery(deliveryId, AlertWebhookPayload.EventName(transition.Kind), transition.Alert.Id, body)))
        {
            Interlocked.Increment(ref _enqueued);
            return true;
        }

        var dropped = Interlocked.Increment(ref _dropped);
        MonitorLog.WebhookDropped(_logger, Display, _delivery.QueueCapacity, transition.Alert.Id, AlertWebhookPayload.EventName(transition.Kind), dropped);
        return false;
    }

    public async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            await foreach (var delivery in _queue.Reader.ReadAllAsync(stopping).ConfigureAwait(false))
            {
                try
                {
                    await DeliverAsync(delivery, stopping).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // Never let one bad delivery end the loop.
                    Interlocked.Increment(ref _failed);
                    MonitorLog.WebhookGaveUp(_logger, Display, delivery.Id, delivery.AlertId, 0, exception.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            var pending = _queue.Reader.Count;
            if (pending > 0) MonitorLog.WebhookStoppedWithPending(_logger, Display, pending);
        }
    }

    private async Task DeliverAsync(Delivery delivery, CancellationToken stopping)
    {
        for (var attempt = 1; ; attempt++)
        {
            Interlocked.Increment(ref _attempts);
            var (outcome, reason, status) = await SendAsync(delivery, stopping).ConfigureAwait(false);
            if (outcome == Outcome.Delivered)
            {
                Interlocked.Increment(ref _delivered);
                MonitorLog.WebhookDelivered(_logger, Display, delivery.Id, attempt, status);
                return;
            }

            Volatile.Write(ref _lastError, reason);
            if (outcome == Outcome.Permanent || attempt >= _delivery.MaxAttempts)
            {
                Interlocked.Increment(ref _failed);
                MonitorLog.WebhookGaveUp(_logger, Display, delivery.Id, delivery.AlertId, attempt, reason);
                return;
            }

            var wait = _delivery.BackoffAfter(attempt);
            MonitorLog.WebhookRetrying(_logger, Display, attempt, _delivery.MaxAttempts, delivery.Id, reason, (long)wait.TotalMilliseconds);
            var due = _time.GetUtcNow() + wait;
            var delay = Task.Delay(wait, _time, stopping);
            Interlocked.Exchange(ref _nextAttemptTicks, due.UtcTicks);
            try
            {
                await delay.ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Exchange(ref _nextAttemptTicks, 0);
            }
        }
    }

    private async Task<(Outcome Outcome, string Reason, int Status)> SendAsync(Delivery delivery, CancellationToken stopping)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _url);
        request.Content = new ByteArrayContent(delivery.Body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.UserAgent.ParseAdd("OpenClaw-Monitor/1");
        request.Headers.TryAddWithoutValidation(WebhookSignature.DeliveryHeader, delivery.Id);
        request.Headers.TryAddWithoutValidation(WebhookSignature.EventHeader, delivery.Event);
        if (_secret is not null)
        {
            var timestamp = _time.GetUtcNow().ToUnixTimeSeconds();
            request.Headers.TryAddWithoutValidation(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.TryAddWithoutValidation(WebhookSignature.SignatureHeader, WebhookSignature.Sign(_secret, timestamp, delivery.Body));
        }

        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(_delivery.RequestTimeoutMs), _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, deadline.Token);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode) return (Outcome.Delivered, "", status);
            var retry = status >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;
            return (retry ? Outcome.Retry : Outcome.Permanent, $"HTTP {status}", status);
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            return (Outcome.Retry, $"no response within {_delivery.RequestTimeoutMs} ms", 0);
        }
        catch (HttpRequestException exception)
        {
            return (Outcome.Retry, exception.HttpRequestError == HttpRequestError.Unknown ? exception.Message : exception.HttpRequestError.ToString(), 0);
        }
    }

    public void Complete() => _queue.Writer.TryComplete();

    private enum Outcome
    {
        Delivered,
        Retry,
        Permanent,
    }

    private sealed record Delivery(string Id, string Event, string AlertId, byte[] Body);
}

/// <summary>What one webhook has done since the silo started (the URL shown without its path).</summary>
public sealed record WebhookEndpointStatus(
    string Endpoint,
    AlertWebhookFormat Format,
    long Enqueued,
    long Delivered,
    long Failed,
    long Dropped,
    long Attempts,
    int Pending,
    DateTimeOffset? NextAttemptAt,
    string? LastError);
