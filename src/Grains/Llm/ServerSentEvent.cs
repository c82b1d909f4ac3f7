namespace OpenClaw.Grains.Llm;

/// <summary>
/// One dispatched server-sent event: its type (<c>message</c> when the stream named none), its
/// data (multiple <c>data:</c> lines joined by <c>\n</c>) and the last event id seen, if any.
/// </summary>
public sealed record ServerSentEvent(string EventType, string Data, string? LastEventId)
{
    public const string DefaultEventType = "message";
}
