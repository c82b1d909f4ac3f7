using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenClaw.Grains.Egress;

namespace OpenClaw.Grains.Agent.Web;

/// <summary>
/// Fetches one URL for a tenant's <c>web_fetch</c>: a GET through the egress HttpClient (every
/// connection's resolved addresses are checked when connecting), redirects followed here, one at
/// a time, each target checked again (at most <see cref="WebFetchOptions.MaxRedirects"/>), no
/// cookies, no proxy, no compression (so the byte cap is the bytes received), one deadline for
/// everything, and a body read only up to <see cref="WebFetchOptions.MaxResponseBytes"/>.
/// Problems come back as <see cref="AgentToolException"/>s with messages for the tenant: what it
/// typed is named, what a name resolved to is not.
/// </summary>
internal sealed class WebFetcher(IHttpClientFactory clients, IOptions<WebFetchOptions> options, EgressPolicy policy, ILogger<WebFetcher> logger)
{
    public const string ClientName = "web_fetch";

    private const string Accept = "text/markdown, text/html;q=0.9, application/xhtml+xml;q=0.9, text/plain;q=0.8, application/json;q=0.8, */*;q=0.1";

    public WebFetchOptions Options { get; } = options.Value;

    public async Task<WebFetchResponse> FetchAsync(string url, string tenantId, CancellationToken cancellationToken)
    {
        var first = Checked(url, tenantId, redirectFrom: null);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Options.Timeout);
        var client = clients.CreateClient(ClientName);
        var current = first;
        try
        {
            for (var redirects = 0; ; redirects++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, current);
                request.Headers.TryAddWithoutValidation("User-Agent", Options.UserAgent);
                request.Headers.TryAddWithoutValidation("Accept", Accept);
                using var response = await Send(client, request, current, tenantId, deadline.Token);
                var status = (int)response.StatusCode;
                if (IsRedirect(response.StatusCode) && response.Headers.Location is { } location)
                {
                    if (redirects >= Options.MaxRedirects)
                    {
                        throw Refused(tenantId, new AgentToolException(
                            $"too many redirects: {first} redirected more than {Options.MaxRedirects} times", "WEB_FETCH_REDIRECTS"));
                    }

                    var target = location.IsAbsoluteUri ? location : new Uri(current, location);
                    current = Checked(target.AbsoluteUri, tenantId, current.AbsoluteUri);
                    continue;
                }

                var mediaType = response.Content.Headers.ContentType?.MediaType?.ToLowerInvariant();
                var declared = Classify(mediaType);
                if (declared is null && mediaType is not null)
                {
                    throw Refused(tenantId, new AgentToolException(
                        $"unsupported content type {mediaType}: web_fetch reads HTML, text and JSON only", "WEB_FETCH_UNSUPPORTED_TYPE"));
                }

                var (bytes, length, truncated) = await ReadBodyAsync(response.Content, deadline.Token);
                var kind = declared ?? Sniff(bytes.AsSpan(0, length))
                    ?? throw Refused(tenantId, new AgentToolException("the response is binary: web_fetch reads HTML, text and JSON only", "WEB_FETCH_UNSUPPORTED_TYPE"));
                var body = Decode(bytes.AsSpan(0, length), response.Content.Headers.ContentType?.CharSet);
                WebFetchLog.Fetched(logger, tenantId, current.GetLeftPart(UriPartial.Path), status, length, redirects);
                return new WebFetchResponse(first, current, status, mediaType, kind, body, length, truncated, redirects);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AgentToolException($"timed out: {current.Host} did not answer within {Options.Timeout.TotalSeconds:0.#} s", "WEB_FETCH_TIMEOUT");
        }
    }

    private Uri Checked(string url, string tenantId, string? redirectFrom)
    {
        try
        {
            return WebFetchUrl.Check(url, policy, redirectFrom);
        }
        catch (AgentToolException ex)
        {
            throw Refused(tenantId, ex);
        }
    }

    private async Task<HttpResponseMessage> Send(HttpClient client, HttpRequestMessage request, Uri url, string tenantId, CancellationToken cancellationToken)
    {
        try
        {
            return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException ex) when (EgressDeniedException.Find(ex) is not null)
        {
            // The egress connector logged the address; the tenant learns only that the name is internal.
            throw Refused(tenantId, WebFetchUrl.Blocked($"{url.IdnHost} resolves to a private or internal address"));
        }
        catch (HttpRequestException ex)
        {
            WebFetchLog.Unreachable(logger, tenantId, url.Host, ex);
            throw new AgentToolException($"fetch failed: {url.IdnHost} could not be reached", "WEB_FETCH_UNREACHABLE");
        }
    }

    private AgentToolException Refused(string tenantId, AgentToolException exception)
    {
        WebFetchLog.Refused(logger, tenantId, exception.Message);
        return exception;
    }

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found
        or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    /// <summary>The kind of a declared media type; null for binary types.</summary>
    internal static WebContentKind? Classify(string? mediaType) => mediaType switch
    {
        null => null,
        "text/html" or "application/xhtml+xml" => WebContentKind.Html,
        "application/json" or "application/ld+json" => WebContentKind.Json,
        _ when mediaType.EndsWith("+json", StringComparison.Ordinal) => WebContentKind.Json,
        _ when mediaType.StartsWith("text/", StringComparison.Ordinal) => WebContentKind.Text,
        "application/xml" or "application/javascript" or "application/x-javascript" => WebContentKind.Text,
        _ when mediaType.EndsWith("+xml", StringComparison.Ordinal) => WebContentKind.Text,
        _ => null,
    };

    /// <summary>A body without a content type: binary when it has NUL bytes, HTML when it looks like it, else text.</summary>
    private static WebContentKind? Sniff(ReadOnlySpan<byte> body)
    {
        var head = body[..Math.Min(body.Length, 1024)];
        if (head.Contains((byte)0))
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(head).TrimStart();
        return text.StartsWith("<!doctype html", StringComparison.OrdinalIgnoreCase) || text.StartsWith("<html", StringComparison.OrdinalIgnoreCase)
            ? WebContentKind.Html
            : WebContentKind.Text;
    }

    private async Task<(byte[] Bytes, int Length, bool Truncated)> ReadBodyAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var limit = Options.MaxResponseBytes;
        var declared = content.Headers.ContentLength;
        var buffer = new byte[(int)Math.Clamp(declared ?? 64 * 1024, 1024, limit) + 1];
        var stream = await content.ReadAsStreamAsync(cancellationToken);
        await using (stream)
        {
            var total = 0;
            while (total <= limit)
            {
                if (total == buffer.Length)
                {
                    Array.Resize(ref buffer, Math.Min(buffer.Length * 2, limit + 1));
                }

                var read = await stream.ReadAsync(buffer.AsMemory(total, buffer.Length - total), cancellationToken);
                if (read == 0)
                {
                    return (buffer, total, false);
                }

                total += read;
            }

            // One byte past the cap was read: there is more; the rest is not read.
            return (buffer, limit, true);
        }
    }

    private static string Decode(ReadOnlySpan<byte> bytes, string? charset)
    {
        var encoding = Encoding.UTF8;
        if (!string.IsNullOrWhiteSpace(charset))
        {
            try
            {
                encoding = Encoding.GetEncoding(charset.Trim('"', ' '));
            }
            catch (ArgumentException)
            {
                // An unknown charset: UTF-8 is the web's default.
            }
        }

        var text = encoding.GetString(bytes);
        return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
    }
}
