using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace OpenClaw.Grains.ControlPlane.ConfigSync;

/// <summary>
/// Speaks <c>GET {cloudBackendUrl}/openclaw/gateway/configs</c> (docs/cloud-backend-api.md): one page
/// per call, with the service token, a deadline for headers and body together, and a byte cap on the
/// body, which is parsed as it streams in and validated completely before it is returned. Any failure
/// is a <see cref="CloudBackendException"/> whose message names no secret.
/// <para>
/// The egress policy does not apply: it guards requests made on a tenant's behalf to addresses a
/// tenant chose, while this URL is the operator's own configuration and is usually internal. The
/// client follows no redirects, so the service token goes only to the configured host.
/// </para>
/// </summary>
public sealed class CloudBackendClient : IDisposable
{
    public const string ConfigsPath = "openclaw/gateway/configs";

    private readonly HttpClient _http;
    private readonly ConfigSyncOptions _options;

    public CloudBackendClient(IOptions<ConfigSyncOptions> options)
    {
        _options = options.Value;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectTimeout = TimeSpan.FromMilliseconds(_options.RequestTimeoutMs),
            MaxResponseHeadersLength = 64,
        };
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("OpenClaw-ConfigSync/1");
    }

    /// <summary>
    /// One page of users changed after <paramref name="cursor"/> (all users when null), or the current
    /// record of one user when <paramref name="userId"/> is given.
    /// </summary>
    /// <exception cref="CursorExpiredException">The backend no longer knows the cursor (410): start a full pass.</exception>
    public async Task<ValidatedPage> GetPageAsync(string? cursor, string? userId, CancellationToken cancellationToken)
    {
        if (!_options.Enabled) throw new InvalidOperationException("No multiTenant:cloudBackendUrl is configured.");
        var limit = userId is null ? _options.PageSize : 1;
        using var request = new HttpRequestMessage(HttpMethod.Get, BuildUri(cursor, userId, limit));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ServiceToken);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.RequestTimeoutMs);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            CheckStatus(response);
            if (response.Content.Headers.ContentLength is { } length && length > _options.MaxResponseBytes)
                throw new CloudBackendException($"The backend's response is larger than the limit of {_options.MaxResponseBytes} bytes.");

            await using var body = new CappedReadStream(
                await response.Content.ReadAsStreamAsync(deadline.Token).ConfigureAwait(false), _options.MaxResponseBytes);
            BackendConfigsPage? page;
            try
            {
                page = await JsonSerializer.DeserializeAsync(body, CloudBackendJsonContext.Default.BackendConfigsPage, deadline.Token).ConfigureAwait(false);
            }
            catch (JsonException exception)
            {
                // The message names where the JSON broke, never its content.
                throw new CloudBackendException(
                    $"The backend's response is not valid JSON of the contract (at {exception.Path ?? "$"}, line {exception.LineNumber}, byte {exception.BytePositionInLine}).", exception);
            }

            return BackendPageValidator.Validate(page, limit);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CloudBackendException($"The backend did not answer within {_options.RequestTimeoutMs} ms.", exception);
        }
        catch (HttpRequestException exception)
        {
            throw new CloudBackendException($"The backend could not be reached or closed the connection early ({Describe(exception)}).", exception);
        }
        catch (IOException exception)
        {
            throw new CloudBackendException($"The backend's response ended early ({exception.GetType().Name}).", exception);
        }
    }

    private Uri BuildUri(string? cursor, string? userId, int limit)
    {
        var query = new StringBuilder(ConfigsPath).Append("?limit=").Append(limit);
        if (cursor is not null) query.Append("&cursor=").Append(Uri.EscapeDataString(cursor));
        if (userId is not null) query.Append("&userId=").Append(Uri.EscapeDataString(userId));
        var baseUrl = _options.CloudBackendUrl!.EndsWith('/') ? _options.CloudBackendUrl : _options.CloudBackendUrl + "/";
        return new Uri(new Uri(baseUrl), query.ToString());
    }

    private static void CheckStatus(HttpResponseMessage response)
    {
        if (response.IsSuccessStatusCode) return;
        var status = $"{(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd();
        throw response.StatusCode switch
        {
            HttpStatusCode.Gone => new CursorExpiredException(),
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                new CloudBackendException($"The backend refused the service token ({status}); check multiTenant:serviceToken."),
            _ => new CloudBackendException($"The backend answered {status}."),
        };
    }

    private static string Describe(HttpRequestException exception) =>
        exception.HttpRequestError != HttpRequestError.Unknown ? exception.HttpRequestError.ToString() : exception.GetType().Name;

    public void Dispose() => _http.Dispose();
}

/// <summary>The backend answered 410 Gone: the cursor is too old for it; the gateway starts over with a full pass.</summary>
public sealed class CursorExpiredException() : Exception("The backend no longer knows the sync cursor (410 Gone).");
