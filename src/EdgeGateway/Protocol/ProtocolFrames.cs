using System.Text.Json;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.EdgeGateway.Protocol;

/// <summary>
/// Writes the server's frames: <c>{type:"res", id, ok, payload?, error?}</c> and
/// <c>{type:"event", event, payload?, seq?}</c>. Payloads and error details from the tenant grain
/// are written verbatim (they are validated as JSON on the way, so a broken grain reply can never
/// produce a broken frame).
/// </summary>
internal static class ProtocolFrames
{
    /// <summary>The response frame for <paramref name="reply"/>. Throws <see cref="ArgumentException"/> or <see cref="JsonException"/> when the reply holds invalid JSON.</summary>
    public static byte[] Response(string id, GatewayReply reply) => ProtocolJson.ToBytes(w =>
    {
        w.WriteStartObject();
        w.WriteString("type", ProtocolConstants.ResponseType);
        w.WriteString("id", id);
        w.WriteBoolean("ok", reply.Ok);
        if (reply.PayloadJson is not null)
        {
            w.WritePropertyName("payload");
            w.WriteRawValue(reply.PayloadJson);
        }
        if (!reply.Ok)
        {
            WriteError(w, reply.Error ?? GatewayError.Unavailable("request failed"));
        }
        w.WriteEndObject();
    });

    public static byte[] ErrorResponse(string id, GatewayError error) => Response(id, GatewayReply.Failure(error));

    /// <summary>The event frame; <paramref name="seq"/> is omitted for <c>connect.challenge</c>.</summary>
    public static byte[] Event(string name, string? payloadJson, long? seq) => ProtocolJson.ToBytes(w =>
    {
        w.WriteStartObject();
        w.WriteString("type", ProtocolConstants.EventType);
        w.WriteString("event", name);
        if (payloadJson is not null)
        {
            w.WritePropertyName("payload");
            w.WriteRawValue(payloadJson);
        }
        if (seq is { } value) w.WriteNumber("seq", value);
        w.WriteEndObject();
    });

    private static void WriteError(Utf8JsonWriter w, GatewayError error)
    {
        w.WriteStartObject("error");
        w.WriteString("code", error.Code);
        w.WriteString("message", error.Message);
        if (error.DetailsJson is not null)
        {
            w.WritePropertyName("details");
            w.WriteRawValue(error.DetailsJson);
        }
        if (error.Retryable is { } retryable) w.WriteBoolean("retryable", retryable);
        if (error.RetryAfterMs is { } retryAfter) w.WriteNumber("retryAfterMs", retryAfter);
        w.WriteEndObject();
    }
}
