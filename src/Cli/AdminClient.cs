using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenClaw.Cli;

/// <summary>
/// The admin API over HTTP (<c>/admin/v1</c>): sends the service token, turns every failure into a
/// <see cref="CliException"/> with the matching exit code and one readable line (a problem-details
/// body is shown as its detail and its field errors).
/// </summary>
public sealed class AdminClient : IDisposable
{
    public const string BasePath = "admin/v1/";

    /// <summary>The largest JSON answer the CLI reads (a page of 1,000 tenants is far smaller).</summary>
    private const int MaxJsonBytes = 32 * 1024 * 1024;

    private readonly HttpClient _http;
    private readonly CliSettings _settings;

    public AdminClient(CliSettings settings, HttpMessageHandler? handler = null)
    {
        _settings = settings;
        var root = settings.Url.AbsoluteUri.EndsWith('/') ? settings.Url : new Uri(settings.Url.AbsoluteUri + "/");
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _http.BaseAddress = new Uri(root, BasePath);
        _http.Timeout = Timeout.InfiniteTimeSpan; // bounded per request by the --timeout token
        if (settings.Token is { } token) _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    public Task<JsonNode> GetJsonAsync(string path, CancellationToken ct) => SendJsonAsync(HttpMethod.Get, path, null, ct);

    public Task<JsonNode> SendJsonAsync(HttpMethod method, string path, JsonNode? body, CancellationToken ct, string contentType = "application/json") =>
        SendAsync(method, path, body is null ? null : new StringContent(body.ToJsonString(), Encoding.UTF8, contentType), ReadJsonAsync, ct);

    /// <summary>Streams a binary answer (an export archive) into <paramref name="destination"/>; returns the bytes written.</summary>
    public Task<long> DownloadAsync(string path, Stream destination, Action<long>? progress, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, path, null, async (response, token) =>
        {
            await using var body = await response.Content.ReadAsStreamAsync(token);
            var buffer = new byte[81920];
            long total = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, token)) > 0)
            {
                await destination.WriteAsync(buffer.AsMemory(0, read), token);
                total += read;
                progress?.Invoke(total);
            }
            return total;
        }, ct);

    public Task<JsonNode> UploadAsync(string path, Stream content, string contentType, CancellationToken ct)
    {
        var body = new StreamContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return SendAsync(HttpMethod.Post, path, body, ReadJsonAsync, ct);
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, Func<HttpResponseMessage, CancellationToken, Task<T>> read, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_settings.Timeout);
        using var request = new HttpRequestMessage(method, path) { Content = content };
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (!response.IsSuccessStatusCode) throw await FailureAsync(response, timeout.Token);
            return await read(response, timeout.Token);
        }
        catch (HttpRequestException ex)
        {
            throw new CliException(ExitCodes.Unavailable, $"Cannot reach {_settings.Url}: {ex.InnerException?.Message ?? ex.Message}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new CliException(ExitCodes.Unavailable, $"{_settings.Url} did not answer within {Duration.Format(_settings.Timeout)} (--timeout).");
        }
    }

    private static async Task<JsonNode> ReadJsonAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var bytes = await ReadBoundedAsync(response, ct);
        if (bytes.Length == 0) return new JsonObject();
        try
        {
            return JsonNode.Parse(bytes) ?? new JsonObject();
        }
        catch (JsonException)
        {
            throw new CliException(ExitCodes.Unavailable, $"The server answered {(int)response.StatusCode} with a body that is not JSON; is --url an OpenClaw silo or edge?");
        }
    }

    private static async Task<byte[]> ReadBoundedAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.Content.Headers.ContentLength > MaxJsonBytes)
            throw new CliException(ExitCodes.Unavailable, $"The server's answer is larger than {MaxJsonBytes / (1024 * 1024)} MB.");
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxJsonBytes)
                throw new CliException(ExitCodes.Unavailable, $"The server's answer is larger than {MaxJsonBytes / (1024 * 1024)} MB.");
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private async Task<CliException> FailureAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        string? problem = null;
        try
        {
            var body = await ReadBoundedAsync(response, ct);
            problem = ProblemText.Describe(body);
        }
        catch (CliException)
        {
        }
        var code = response.StatusCode switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => ExitCodes.AuthRefused,
            HttpStatusCode.NotFound => ExitCodes.NotFound,
            HttpStatusCode.BadRequest or HttpStatusCode.Conflict or HttpStatusCode.UnprocessableEntity or HttpStatusCode.RequestEntityTooLarge
                or HttpStatusCode.UnsupportedMediaType or HttpStatusCode.MethodNotAllowed => ExitCodes.Rejected,
            _ when status >= 500 => ExitCodes.Unavailable,
            _ => ExitCodes.Rejected,
        };
        var message = code switch
        {
            ExitCodes.AuthRefused when _settings.Token is null =>
                $"Refused ({status}): no service token given; pass --token or set {GlobalOptions.TokenVariable}.",
            ExitCodes.AuthRefused => $"Refused ({status}): the service token was not accepted by {_settings.Url}.",
            _ => $"{(code == ExitCodes.NotFound ? "Not found" : code == ExitCodes.Unavailable ? "Server error" : "Rejected")} ({status}): {problem ?? response.ReasonPhrase ?? "no details"}",
        };
        return new CliException(code, message);
    }

    public void Dispose() => _http.Dispose();
}
