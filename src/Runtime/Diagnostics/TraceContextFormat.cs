using System.Diagnostics;

namespace OpenClaw.Runtime.Diagnostics;

/// <summary>
/// The W3C <c>traceparent</c> text a request frame carries across the cluster hop
/// (<c>00-&lt;trace id&gt;-&lt;span id&gt;-&lt;flags&gt;</c>). Trace state is not carried.
/// Anything malformed or oversized from a peer is ignored (the call runs untraced), never an error.
/// </summary>
internal static class TraceContextFormat
{
    private const int MaxLength = 64;

    public static string Format(ActivityContext context) =>
        $"00-{context.TraceId.ToHexString()}-{context.SpanId.ToHexString()}-{((int)context.TraceFlags):x2}";

    public static ActivityContext Parse(string? traceParent) =>
        traceParent is { Length: > 0 and <= MaxLength } && ActivityContext.TryParse(traceParent, null, isRemote: true, out var context)
            ? context
            : default;
}
