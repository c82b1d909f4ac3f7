namespace OpenClaw.EdgeGateway.Protocol;

/// <summary>
/// A client <c>req</c> frame: its id (echoed verbatim), method, raw <c>params</c> JSON (null when
/// absent or null), the UTF-8 size of the params and of the whole frame (what the request holds
/// while in flight).
/// </summary>
internal sealed record InboundRequest(string Id, string Method, string? ParamsJson, int ParamsBytes, int FrameBytes);

/// <summary>Outcome of parsing a frame: the request, or an error message and the request id if one could be read.</summary>
internal readonly record struct InboundParseResult(InboundRequest? Request, string? ErrorId, string? Error)
{
    public static InboundParseResult Success(InboundRequest request) => new(request, null, null);

    public static InboundParseResult Failure(string? id, string error) => new(null, id, error);
}
