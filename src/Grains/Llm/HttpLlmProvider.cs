using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenClaw.Grains.Egress;
using OpenClaw.Grains.Secrets;

namespace OpenClaw.Grains.Llm;

/// <summary>
/// What the HTTP providers share: key and URL checks, the request with its response and idle
/// timeouts, error responses turned into <see cref="LlmProviderException"/>, and the SSE loop.
/// Cancelling the caller's token (or abandoning the enumeration) disposes the response, which
/// closes the HTTP stream.
/// <para>
/// The tenant chooses the URL, so error messages tell it no more than it needs: a destination
/// the egress policy refuses is named as such; every other failure to get a response (refused,
/// unreachable, unknown host, no answer in time) is one message, without address, port or socket
/// error, so the silo is no port scanner; an error body is shown only as the provider's JSON error
/// message, never as text (an internal page's content never comes back). The operator's log
/// gets the details.
/// </para>
/// </summary>
internal abstract class HttpLlmProvider : ILlmProvider
{
    private readonly IHttpClientFactory _httpClientFactory;
    private readonly ILogger _logger;
    private readonly ITenantSecretProtector? _secrets;

    protected HttpLlmProvider(IHttpClientFactory httpClientFactory, IOptions<LlmProviderOptions> options, ILogger logger, ITenantSecretProtector? secrets = null)
    {
        _secrets = secrets;
        ArgumentNullException.ThrowIfNull(httpClientFactory);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _httpClientFactory = httpClientFactory;
        Options = options.Value;
        _logger = logger;
    }

    public abstract string Name { get; }

    protected LlmProviderOptions Options { get; }

    /// <summary>The name of the <see cref="HttpClient"/> this provider creates from the factory.</summary>
    protected abstract string HttpClientName { get; }

    /// <summary>The base URL used when the endpoint names none.</summary>
    protected abstract string DefaultBaseUrl { get; }

    /// <summary>The provider's HTTP request for <paramref name="request"/>.</summary>
    protected abstract HttpRequestMessage CreateHttpRequest(LlmRequest request, string baseUrl, string apiKey);

    /// <summary>A fresh decoder for one response stream.</summary>
    internal abstract ILlmStreamDecoder CreateDecoder();

    public async IAsyncEnumerable<LlmStreamEvent> StreamAsync(
        LlmRequest request,
        LlmEndpoint endpoint,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(endpoint);
        LlmRequestValidation.Validate(Name, request);
        var apiKey = RequireApiKey(endpoint);
        var baseUrl = ResolveBaseUrl(endpoint.BaseUrl);
        var host = new Uri(baseUrl).Authority;

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Options.ResponseTimeout);
        using var httpRequest = CreateHttpRequest(request, baseUrl, apiKey);
        var client = _httpClientFactory.CreateClient(HttpClientName);
        var started = Stopwatch.GetTimestamp();
        LlmLog.StreamStarting(_logger, Name, request.Model, host);

        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(httpRequest, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            LlmLog.ProviderUnreachable(_logger, Name, request.Model, host,
                $"no response headers within {Options.ResponseTimeout.TotalSeconds:0.#} s", ex);
            throw Fail(request, Unreachable(ex), apiKey);
        }
        catch (HttpRequestException ex) when (EgressDeniedException.Find(ex) is not null)
        {
            // The egress connector has logged the host, address and category.
            throw Fail(request, new LlmProviderException(
                $"{Name}: the provider URL is not allowed: {EgressDeniedException.Reason}.", null, ex), apiKey);
        }
        catch (HttpRequestException ex)
        {
            LlmLog.ProviderUnreachable(_logger, Name, request.Model, host, ProviderErrorText.Redact(ex.Message, apiKey), ex);
            throw Fail(request, Unreachable(ex), apiKey);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw Fail(request, await CreateHttpErrorAsync(response, apiKey, timeout.Token).ConfigureAwait(false), apiKey);
            }

            Stream body;
            try
            {
                body = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when ((ex is HttpRequestException or IOException) && !cancellationToken.IsCancellationRequested)
            {
                LlmLog.ProviderUnreachable(_logger, Name, request.Model, host, "the response body could not be read", ex);
                throw Fail(request, new LlmProviderException($"{Name}: the connection to the provider broke off.", null, ex), apiKey);
            }

            await using (body.ConfigureAwait(false))
            {
                var decoder = CreateDecoder();
                var decoded = new List<LlmStreamEvent>();
                var events = ServerSentEventReader.ReadAsync(body, Options.MaxEventBytes, timeout.Token).GetAsyncEnumerator(timeout.Token);
                await using (events.ConfigureAwait(false))
                {
                    while (true)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        timeout.CancelAfter(Options.StreamIdleTimeout);
                        ServerSentEvent serverSentEvent;
                        try
                        {
                            if (!await events.MoveNextAsync().ConfigureAwait(false))
                            {
                                break;
                            }

                            serverSentEvent = events.Current;
                        }
                        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
                        {
                            throw Fail(request, new LlmProviderException(
                                $"{Name}: the provider's stream was silent for more than {Options.StreamIdleTimeout.TotalSeconds:0.#} s.", null, ex), apiKey);
                        }
                        catch (OperationCanceledException)
                        {
                            LlmLog.StreamCancelled(_logger, Name, request.Model);
                            throw;
                        }
                        catch (InvalidDataException ex)
                        {
                            throw Fail(request, new LlmProviderException($"{Name}: malformed event stream: {ex.Message}", null, ex), apiKey);
                        }
                        catch (Exception ex) when ((ex is HttpRequestException or IOException) && !cancellationToken.IsCancellationRequested)
                        {
                            LlmLog.ProviderUnreachable(_logger, Name, request.Model, host, "the stream broke off", ex);
                            throw Fail(request, new LlmProviderException($"{Name}: the provider's stream broke off.", null, ex), apiKey);
                        }

                        decoded.Clear();
                        try
                        {
                            decoder.Decode(serverSentEvent, decoded);
                        }
                        catch (LlmProviderException ex)
                        {
                            throw Fail(request, ex, apiKey);
                        }

                        if (decoded.Count > 0)
                        {
                            // The consumer's time between events does not count as provider silence.
                            timeout.CancelAfter(Timeout.InfiniteTimeSpan);
                            foreach (var item in decoded)
                            {
                                if (item is LlmCompleted completed)
                                {
                                    LogCompleted(request, completed, started);
                                }

                                yield return item;
                            }
                        }

                        if (decoder.IsCompleted)
                        {
                            yield break;
                        }
                    }

                    decoded.Clear();
                    try
                    {
                        decoder.CompleteAtEndOfStream(decoded);
                    }
                    catch (LlmProviderException ex)
                    {
                        throw Fail(request, ex, apiKey);
                    }

                    foreach (var item in decoded)
                    {
                        if (item is LlmCompleted atEnd)
                        {
                            LogCompleted(request, atEnd, started);
                        }

                        yield return item;
                    }
                }
            }
        }
    }

    /// <summary>The key to send: stores keep it protected (<see cref="TenantSecrets.Prefix"/>); it is decrypted here, right before the request, and nowhere else.</summary>
    private string? UnprotectApiKey(string? stored)
    {
        if (!TenantSecrets.IsProtected(stored))
        {
            return stored;
        }

        if (_secrets is null)
        {
            throw new LlmProviderException($"{Name}: the API key is stored encrypted and this silo has no key ring to decrypt it.");
        }

        try
        {
            return _secrets.Unprotect(stored!);
        }
        catch (System.Security.Cryptography.CryptographicException exception)
        {
            LlmLog.KeyNotDecrypted(_logger, Name, exception);
            throw new LlmProviderException($"{Name}: the stored API key cannot be decrypted with this cluster's key ring; set the tenant's apiKey again.");
        }
    }

    /// <summary>Builds a JSON request content from UTF-8 bytes.</summary>
    protected static ByteArrayContent JsonContent(byte[] utf8Json)
    {
        var content = new ByteArrayContent(utf8Json);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    private string RequireApiKey(LlmEndpoint endpoint)
    {
        var apiKey = UnprotectApiKey(endpoint.ApiKey);
        if (string.IsNullOrWhiteSpace(apiKey))
        {
            throw new LlmProviderException(
                $"{Name}: {endpoint.MissingKeyReason ?? $"no API key is configured; set the tenant's apiKey for provider '{Name}'."}");
        }

        foreach (var c in apiKey)
        {
            if (char.IsControl(c) || c == ' ' || c > '\u007e')
            {
                throw new LlmProviderException($"{Name}: the configured API key contains characters that cannot be sent in an HTTP header.");
            }
        }

        return apiKey;
    }

    private string ResolveBaseUrl(string? configured)
    {
        var baseUrl = string.IsNullOrWhiteSpace(configured) ? DefaultBaseUrl : configured.Trim();
        if (!LlmProviderOptionsValidator.IsHttpUrl(baseUrl))
        {
            throw new LlmProviderException($"{Name}: the base URL must be an absolute http or https URL.");
        }

        return baseUrl.TrimEnd('/');
    }

    private async Task<LlmProviderException> CreateHttpErrorAsync(HttpResponseMessage response, string apiKey, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        string? providerMessage = null;
        try
        {
            var body = await ReadLimitedAsync(response.Content, Options.MaxErrorBodyBytes, cancellationToken).ConfigureAwait(false);
            providerMessage = ProviderErrorText.FromBody(body);
            if (providerMessage is null && !string.IsNullOrWhiteSpace(body))
            {
                LlmLog.ErrorBodyNotShown(_logger, Name, status, ProviderErrorText.Bound(ProviderErrorText.Redact(body, apiKey)));
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException or DecoderFallbackException)
        {
            // The status code alone still makes a clear error.
        }

        // The standard reason phrase, not the server's: it is text the server chose.
        var reason = ReasonPhrases.GetReasonPhrase(status);
        var statusText = reason.Length == 0 ? $"HTTP {status}" : $"HTTP {status} ({reason})";
        var text = providerMessage is null
            ? $"{Name}: {statusText}."
            : $"{Name}: {statusText}: {providerMessage}";
        return new LlmProviderException(text, status);
    }

    private static async Task<string> ReadLimitedAsync(HttpContent content, int maxBytes, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[maxBytes];
            var total = 0;
            while (total < buffer.Length)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }

            return Encoding.UTF8.GetString(buffer, 0, total);
        }
    }

    private LlmProviderException Unreachable(Exception inner) =>
        new($"{Name}: the provider could not be reached or did not answer in time.", null, inner);

    /// <summary>Logs the failure and returns it with the key removed and the text bounded to one short line.</summary>
    private LlmProviderException Fail(LlmRequest request, LlmProviderException exception, string apiKey)
    {
        var text = ProviderErrorText.Bound(ProviderErrorText.Redact(exception.Message, apiKey));
        var safe = text == exception.Message ? exception : new LlmProviderException(text, exception.StatusCode, exception.InnerException);
        LlmLog.RequestFailed(_logger, Name, request.Model, safe.StatusCode, safe.Message);
        return safe;
    }

    private void LogCompleted(LlmRequest request, LlmCompleted completed, long started) =>
        LlmLog.StreamCompleted(_logger, Name, request.Model, completed.StopReason, completed.Usage.InputTokens,
            completed.Usage.OutputTokens, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
}
