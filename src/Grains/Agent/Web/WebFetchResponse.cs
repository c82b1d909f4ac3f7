namespace OpenClaw.Grains.Agent.Web;

/// <summary>What kind of text a response carries (anything else is refused as binary).</summary>
internal enum WebContentKind
{
    Html,
    Text,
    Json,
}

/// <summary>A fetched response: where it ended up, its status and its decoded, size-capped body.</summary>
internal sealed record WebFetchResponse(
    Uri Url,
    Uri FinalUrl,
    int Status,
    string? ContentType,
    WebContentKind Kind,
    string Body,
    int RawBytes,
    bool BodyTruncated,
    int Redirects);
