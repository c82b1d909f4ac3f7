using System.Diagnostics;

namespace OpenClaw.Runtime.Diagnostics;

/// <summary>
/// The runtime's trace source: one server span per grain call turn, a child of the caller's span
/// (in process, or across the cluster hop through the request frame's <c>traceparent</c>).
/// Attributes: grain type, interface and method; never the grain key (it is a tenant id).
/// </summary>
public static class RuntimeActivitySource
{
    public const string Name = "OpenClaw.Runtime";
    public const string GrainCallSpanName = "openclaw.grain.call";

    internal static readonly ActivitySource Source = new(Name);

    /// <summary>Starts the span of a call's turn (null when nobody listens, or the caller's trace was not sampled).</summary>
    internal static Activity? StartCall(GrainMessage message, GrainRequest request)
    {
        if (!Source.HasListeners()) return null;
        var activity = Source.StartActivity(GrainCallSpanName, ActivityKind.Server, message.TraceParent);
        if (activity is null) return null;
        activity.SetTag(RuntimeInstruments.GrainTypeTag, message.Target.Type);
        activity.SetTag("rpc.service", request.InterfaceName);
        activity.SetTag("rpc.method", request.MethodName);
        return activity;
    }
}
