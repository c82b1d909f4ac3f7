using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace OpenClaw.Bench.EdgeLoad;

internal enum FrameKind { Other, Response, Event }

/// <summary>
/// The top-level fields of one server frame, read with <see cref="Utf8JsonReader"/> without
/// building a document: <c>type</c>, <c>id</c> (numeric ids are parsed to <see cref="Id"/>),
/// <c>ok</c>, <c>event</c>, <c>seq</c>, <c>error.code/message</c>, and where <c>payload</c> is.
/// </summary>
internal readonly record struct FrameHeader(
    FrameKind Kind,
    long Id,
    string? RawId,
    bool Ok,
    string? EventName,
    long Seq,
    string? ErrorCode,
    string? ErrorMessage,
    int PayloadStart,
    int PayloadLength)
{
    public ReadOnlySpan<byte> Payload(ReadOnlySpan<byte> frame) => PayloadLength > 0 ? frame.Slice(PayloadStart, PayloadLength) : default;

    /// <summary>
    /// Parses a frame; throws <see cref="JsonException"/> when it is not a JSON object. With
    /// <paramref name="quick"/>, stops as soon as a successful response's type, id and ok are
    /// known (the edge writes them first), leaving the payload unread: the hot path of the
    /// throughput scenario, where the client shares the cores with the silo.
    /// </summary>
    public static FrameHeader Parse(ReadOnlySpan<byte> frame, bool quick = false)
    {
        var reader = new Utf8JsonReader(frame);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new JsonException("frame is not a JSON object");
        var kind = FrameKind.Other;
        long id = -1, seq = -1;
        string? rawId = null, eventName = null, errorCode = null, errorMessage = null;
        bool ok = false, sawId = false;
        int payloadStart = 0, payloadLength = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (quick && ok && sawId && kind == FrameKind.Response) break;
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                kind = reader.ValueTextEquals("res"u8) ? FrameKind.Response : reader.ValueTextEquals("event"u8) ? FrameKind.Event : FrameKind.Other;
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                sawId = true;
                if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped
                    || !Utf8Parser.TryParse(reader.ValueSpan, out id, out var consumed) || consumed != reader.ValueSpan.Length)
                {
                    id = -1;
                    rawId = reader.TokenType == JsonTokenType.String ? reader.GetString() : "(not a string)";
                }
            }
            else if (reader.ValueTextEquals("ok"u8))
            {
                reader.Read();
                ok = reader.TokenType == JsonTokenType.True;
            }
            else if (reader.ValueTextEquals("event"u8))
            {
                reader.Read();
                eventName = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("seq"u8))
            {
                reader.Read();
                seq = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var s) ? s : -2;
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                (errorCode, errorMessage) = ReadError(ref reader);
            }
            else if (reader.ValueTextEquals("payload"u8))
            {
                reader.Read();
                payloadStart = (int)reader.TokenStartIndex;
                reader.Skip();
                payloadLength = (int)reader.BytesConsumed - payloadStart;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        return new FrameHeader(kind, id, rawId, ok, eventName, seq, errorCode, errorMessage, payloadStart, payloadLength);
    }

    private static (string? Code, string? Message) ReadError(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return ("(malformed error)", null);
        }
        string? code = null, message = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isCode = reader.ValueTextEquals("code"u8);
            var isMessage = reader.ValueTextEquals("message"u8);
            reader.Read();
            if (isCode && reader.TokenType == JsonTokenType.String) code = reader.GetString();
            else if (isMessage && reader.TokenType == JsonTokenType.String) message = reader.GetString();
            else reader.Skip();
        }
        return (code, message);
    }
}

/// <summary>Builds client frames.</summary>
internal static class ClientFrames
{
    public static byte[] Request(long id, string method, string? paramsJson) =>
        Encoding.UTF8.GetBytes($$"""{"type":"req","id":"{{id}}","method":"{{method}}","params":{{paramsJson ?? "{}"}}}""");

    /// <summary>The connect request: protocol 4, a device-less cli operator with full scopes and the tenant token.</summary>
    public static byte[] Connect(string id, string token) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("type", "req");
        w.WriteString("id", id);
        w.WriteString("method", "connect");
        w.WriteStartObject("params");
        w.WriteNumber("minProtocol", 4);
        w.WriteNumber("maxProtocol", 4);
        w.WriteStartObject("client");
        w.WriteString("id", "cli");
        w.WriteString("version", "bench");
        w.WriteString("platform", "linux");
        w.WriteString("mode", "cli");
        w.WriteEndObject();
        w.WriteString("role", "operator");
        w.WriteStartArray("scopes");
        w.WriteStringValue("operator.admin");
        w.WriteStringValue("operator.read");
        w.WriteStringValue("operator.write");
        w.WriteEndArray();
        w.WriteStartArray("caps");
        w.WriteEndArray();
        w.WriteStartObject("auth");
        w.WriteString("token", token);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
    });

    public static string ChatSendParams(string sessionKey, string message, string idempotencyKey) => Encoding.UTF8.GetString(Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("sessionKey", sessionKey);
        w.WriteString("message", message);
        w.WriteString("idempotencyKey", idempotencyKey);
        w.WriteEndObject();
    }));

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer)) write(writer);
        return buffer.WrittenSpan.ToArray();
    }
}
