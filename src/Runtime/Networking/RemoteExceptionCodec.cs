using System.Text.Json;

namespace OpenClaw.Runtime;

/// <summary>
/// Exceptions as they cross a cluster connection: <c>{"type","message","location"?,"inner"?}</c>.
/// The runtime's own exceptions and common framework ones are rebuilt as the same type (callers
/// such as the edge decide on them: timeouts, overload, a tenant whose stored state is damaged);
/// anything else arrives as <see cref="RemoteGrainException"/> with the original type name.
/// </summary>
internal static class RemoteExceptionCodec
{
    private const int MaxDepth = 4;

    public static void Write(Utf8JsonWriter writer, Exception exception) => Write(writer, exception, 0);

    private static void Write(Utf8JsonWriter writer, Exception exception, int depth)
    {
        if (exception is AggregateException { InnerExceptions.Count: 1 } aggregate) exception = aggregate.InnerExceptions[0];
        writer.WriteStartObject();
        writer.WriteString("type", exception is RemoteGrainException remote ? remote.RemoteType : exception.GetType().FullName);
        writer.WriteString("message", exception.Message);
        if (exception is GrainStorageCorruptedException corrupted) writer.WriteString("location", corrupted.Location);
        if (exception is InconsistentStateException inconsistent)
        {
            writer.WriteNumber("storedEtag", inconsistent.StoredEtag);
            writer.WriteNumber("expectedEtag", inconsistent.ExpectedEtag);
        }
        if (exception.InnerException is { } inner && depth < MaxDepth)
        {
            writer.WritePropertyName("inner");
            Write(writer, inner, depth + 1);
        }
        writer.WriteEndObject();
    }

    public static Exception Read(ReadOnlySpan<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            return Read(document.RootElement, 0);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            return new RemoteGrainException("unknown", "The remote side failed the call, and its error could not be read.");
        }
    }

    private static Exception Read(JsonElement element, int depth)
    {
        var type = element.GetProperty("type").GetString() ?? "unknown";
        var message = element.GetProperty("message").GetString() ?? "";
        var inner = depth < MaxDepth && element.TryGetProperty("inner", out var innerElement) && innerElement.ValueKind == JsonValueKind.Object
            ? Read(innerElement, depth + 1)
            : null;
        return type switch
        {
            "OpenClaw.Runtime.GrainCallTimeoutException" => new GrainCallTimeoutException(message),
            "OpenClaw.Runtime.GrainActivationException" => new GrainActivationException(message, inner),
            "OpenClaw.Runtime.GrainStorageCorruptedException" =>
                new GrainStorageCorruptedException(message, element.TryGetProperty("location", out var location) ? location.GetString() ?? "" : "", inner),
            "OpenClaw.Runtime.InconsistentStateException" => new InconsistentStateException(message,
                element.TryGetProperty("storedEtag", out var stored) ? stored.GetInt32() : 0,
                element.TryGetProperty("expectedEtag", out var expected) ? expected.GetInt32() : 0),
            "OpenClaw.Runtime.ObserverNotFoundException" => new ObserverNotFoundException(message),
            "OpenClaw.Runtime.SiloUnavailableException" => new SiloUnavailableException(message),
            "OpenClaw.Runtime.ActivationOverloadedException" => new ActivationOverloadedException(message),
            "System.TimeoutException" => new TimeoutException(message, inner),
            "System.OperationCanceledException" or "System.Threading.Tasks.TaskCanceledException" => new OperationCanceledException(message, inner),
            "System.ArgumentException" => new ArgumentException(message, inner),
            "System.ArgumentNullException" => new ArgumentNullException(message, inner),
            "System.ArgumentOutOfRangeException" => new ArgumentOutOfRangeException(message, inner),
            "System.InvalidOperationException" => new InvalidOperationException(message, inner),
            "System.NotSupportedException" => new NotSupportedException(message, inner),
            "System.Collections.Generic.KeyNotFoundException" => new KeyNotFoundException(message, inner),
            "System.Text.Json.JsonException" => new JsonException(message, inner),
            _ => new RemoteGrainException(type, message, inner),
        };
    }
}
