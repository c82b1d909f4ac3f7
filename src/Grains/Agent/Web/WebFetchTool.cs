using System.Globalization;
using OpenClaw.Grains.Gateway;

namespace OpenClaw.Grains.Agent.Web;

/// <summary>
/// <c>web_fetch {url, extractMode?, maxChars?}</c>: fetches a page through the egress policy (see
/// <see cref="WebFetcher"/>) and returns its readable text, wrapped as untrusted external content,
/// with the reference tool's fields (<c>url, finalUrl, status, contentType, title, extractor,
/// externalContent, truncated, length, rawLength, fetchedAt, text</c>).
/// </summary>
internal sealed class WebFetchTool(WebFetcher fetcher) : IAgentTool
{
    private const int ErrorExcerptChars = 500;

    /// <summary>Fetches of this tenant in progress (the tool is built once per activation).</summary>
    private int _inProgress;

    public string Name => "web_fetch";

    public string Description =>
        "Fetch a web page (http/https) and return its readable content as markdown or text. Public addresses only; the content is untrusted.";

    public string ParametersJson => $$$"""
        {"type":"object","properties":{
        "url":{"type":"string","description":"HTTP or HTTPS URL to fetch."},
        "extractMode":{"type":"string","enum":["markdown","text"],"description":"Extraction mode (\"markdown\" or \"text\").","default":"markdown"},
        "maxChars":{"type":"integer","minimum":{{{WebFetchOptions.MinChars}}},"description":"Maximum characters to return (truncates when exceeded)."}},
        "required":["url"],"additionalProperties":false}
        """;

    public async Task<ToolResult> ExecuteAsync(AgentToolCall call, ToolRunContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(context);
        string url;
        bool markdown;
        int maxChars;
        try
        {
            var arguments = new GatewayParams(call.Arguments);
            url = arguments.RequiredString("url", WebFetchOptions.MaxUrlLength);
            var mode = arguments.OptionalString("extractMode", 16) ?? "markdown";
            markdown = mode switch
            {
                "markdown" => true,
                "text" => false,
                _ => throw new GatewayParamsException("'extractMode' must be \"markdown\" or \"text\""),
            };
            var requested = arguments.OptionalInteger("maxChars", WebFetchOptions.MinChars, int.MaxValue) ?? fetcher.Options.DefaultChars;
            maxChars = (int)Math.Min(requested, fetcher.Options.MaxChars);
        }
        catch (GatewayParamsException ex)
        {
            throw new AgentToolException($"invalid web_fetch arguments: {ex.Message}");
        }

        if (Interlocked.Increment(ref _inProgress) > fetcher.Options.MaxConcurrentPerTenant)
        {
            Interlocked.Decrement(ref _inProgress);
            throw new AgentToolException(
                $"too many fetches in progress for this tenant (at most {fetcher.Options.MaxConcurrentPerTenant}); try again when one has finished", "WEB_FETCH_BUSY");
        }

        WebFetchResponse response;
        try
        {
            response = await fetcher.FetchAsync(url, context.TenantId, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _inProgress);
        }

        var (title, text, extractor) = response.Kind switch
        {
            WebContentKind.Html => Html(response, markdown),
            WebContentKind.Json => (null, response.Body, "json"),
            _ => ((string?)null, response.Body, "raw"),
        };

        var rawLength = text.Length;
        var truncated = response.BodyTruncated || rawLength > maxChars;
        if (rawLength > maxChars)
        {
            text = text[..maxChars];
        }

        if (response.Status >= 400)
        {
            var excerpt = text.Length > ErrorExcerptChars ? text[..ErrorExcerptChars] + "…" : text;
            var message = $"web_fetch failed: HTTP {response.Status} from {response.FinalUrl.AbsoluteUri}";
            return ToolResult.Error(excerpt.Length == 0 ? message : message + "\n" + ExternalContent.Wrap(excerpt, "web_fetch", response.FinalUrl.AbsoluteUri));
        }

        var wrapped = ExternalContent.Wrap(text, "web_fetch", response.FinalUrl.AbsoluteUri);
        var payload = JsonPayload.Object(writer =>
        {
            writer.WriteString("url", response.Url.AbsoluteUri);
            writer.WriteString("finalUrl", response.FinalUrl.AbsoluteUri);
            writer.WriteNumber("status", response.Status);
            if (response.ContentType is not null)
            {
                writer.WriteString("contentType", response.ContentType);
            }

            if (title is not null)
            {
                writer.WriteString("title", ExternalContent.Defuse(title));
            }

            writer.WriteString("extractMode", markdown ? "markdown" : "text");
            writer.WriteString("extractor", extractor);
            writer.WriteStartObject("externalContent");
            writer.WriteBoolean("untrusted", true);
            writer.WriteString("source", "web_fetch");
            writer.WriteBoolean("wrapped", true);
            writer.WriteEndObject();
            writer.WriteBoolean("truncated", truncated);
            writer.WriteNumber("length", text.Length);
            writer.WriteNumber("rawLength", rawLength);
            writer.WriteString("fetchedAt", context.Gateway.Time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
            writer.WriteString("text", wrapped);
        });
        var meta = $"{response.FinalUrl.Host} ({text.Length} chars{(truncated ? ", truncated" : "")})";
        return ToolResult.Ok(payload, payload, meta);
    }

    private static (string? Title, string Text, string Extractor) Html(WebFetchResponse response, bool markdown)
    {
        var extracted = HtmlTextExtractor.Extract(response.Body, markdown, response.FinalUrl);
        var text = extracted.Title is { } title && markdown && !extracted.Text.StartsWith("# ", StringComparison.Ordinal)
            ? $"# {title}\n\n{extracted.Text}"
            : extracted.Text;
        return (extracted.Title, text, markdown ? "html-to-markdown" : "html-to-text");
    }
}
