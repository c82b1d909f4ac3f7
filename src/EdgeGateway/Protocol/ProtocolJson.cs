using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace OpenClaw.EdgeGateway.Protocol;

/// <summary>Shared JSON writer settings and a helper that writes small JSON documents to bytes or text.</summary>
internal static class ProtocolJson
{
    /// <summary>Compact output; non-ASCII text is written as UTF-8 (as the Node gateway does), not escaped.</summary>
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    public static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 256 };

    public static byte[] ToBytes(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions)) write(writer);
        return buffer.WrittenSpan.ToArray();
    }

    public static string ToText(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions)) write(writer);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary><c>{"runId":"…"}</c>, the params of the internal <c>agent.final</c> call.</summary>
    public static string RunIdParams(string runId) => ToText(w =>
    {
        w.WriteStartObject();
        w.WriteString("runId", runId);
        w.WriteEndObject();
    });
}
