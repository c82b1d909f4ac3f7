namespace OpenClaw.EdgeGateway.Protocol;

/// <summary>Payloads of the events the edge itself emits: <c>connect.challenge</c>, <c>tick</c>, <c>shutdown</c>.</summary>
internal static class ProtocolEvents
{
    public static string Challenge(string nonce, long timestampMs) => ProtocolJson.ToText(w =>
    {
        w.WriteStartObject();
        w.WriteString("nonce", nonce);
        w.WriteNumber("ts", timestampMs);
        w.WriteStartArray("capabilities");
        foreach (var capability in ProtocolConstants.ChallengeCapabilities) w.WriteStringValue(capability);
        w.WriteEndArray();
        w.WriteEndObject();
    });

    public static string Tick(long timestampMs) => ProtocolJson.ToText(w =>
    {
        w.WriteStartObject();
        w.WriteNumber("ts", timestampMs);
        w.WriteEndObject();
    });

    public static string Shutdown(string reason, int restartExpectedMs) => ProtocolJson.ToText(w =>
    {
        w.WriteStartObject();
        w.WriteString("reason", reason);
        w.WriteNumber("restartExpectedMs", restartExpectedMs);
        w.WriteEndObject();
    });
}
