using System.Text.Json;

namespace OpenClaw.Grains.Tests.UserGrainTests;

/// <summary>
/// The frames of the real gateway in <c>shared/protocol/reference-transcript.jsonl</c> (found by
/// walking up from the test's directory, or at <c>OPENCLAW_PROTOCOL_DIR</c>).
/// </summary>
internal static class ReferenceTranscript
{
    private static readonly Lazy<IReadOnlyList<Frame>> Frames = new(Load);

    public sealed record Frame(int Conn, string Dir, JsonElement Body);

    /// <summary>Payloads of the successful responses to <paramref name="method"/> (every response, in order; <c>agent</c> has two).</summary>
    public static IReadOnlyList<JsonElement> ResponsesTo(string method)
    {
        var requests = new Dictionary<(int, string), string>();
        var result = new List<JsonElement>();
        foreach (var frame in Frames.Value)
        {
            var body = frame.Body;
            var type = body.GetProperty("type").GetString();
            if (type == "req")
            {
                requests[(frame.Conn, body.GetProperty("id").GetString()!)] = body.GetProperty("method").GetString()!;
            }
            else if (type == "res" && body.GetProperty("ok").GetBoolean()
                && requests.TryGetValue((frame.Conn, body.GetProperty("id").GetString()!), out var requested) && requested == method)
            {
                result.Add(body.GetProperty("payload"));
            }
        }

        return result;
    }

    /// <summary>Params of the requests for <paramref name="method"/>.</summary>
    public static IReadOnlyList<JsonElement> RequestsFor(string method) =>
        Frames.Value
            .Where(f => f.Body.GetProperty("type").GetString() == "req" && f.Body.GetProperty("method").GetString() == method)
            .Select(f => f.Body.TryGetProperty("params", out var p) ? p : default)
            .ToList();

    /// <summary>Payloads of the events named <paramref name="name"/>.</summary>
    public static IReadOnlyList<JsonElement> EventPayloads(string name) =>
        Frames.Value
            .Where(f => f.Body.GetProperty("type").GetString() == "event" && f.Body.GetProperty("event").GetString() == name)
            .Select(f => f.Body.GetProperty("payload"))
            .ToList();

    /// <summary>The <c>chat</c> and <c>agent</c> events of one run, in order.</summary>
    public static IReadOnlyList<(string Name, JsonElement Payload)> RunEvents(string runId) =>
        Frames.Value
            .Where(f => f.Body.GetProperty("type").GetString() == "event")
            .Select(f => (Name: f.Body.GetProperty("event").GetString()!, Payload: f.Body.GetProperty("payload")))
            .Where(e => e.Name is "chat" or "agent"
                && e.Payload.TryGetProperty("runId", out var id) && id.GetString() == runId)
            .ToList();

    private static IReadOnlyList<Frame> Load()
    {
        var path = Locate();
        var frames = new List<Frame>();
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var root = JsonDocument.Parse(line).RootElement;
            if (root.TryGetProperty("frame", out var body) && body.ValueKind == JsonValueKind.Object)
            {
                frames.Add(new Frame(root.GetProperty("conn").GetInt32(), root.GetProperty("dir").GetString()!, body.Clone()));
            }
        }

        return frames;
    }

    internal static string Locate()
    {
        const string relative = "protocol/reference-transcript.jsonl";
        if (Environment.GetEnvironmentVariable("OPENCLAW_PROTOCOL_DIR") is { Length: > 0 } configured)
        {
            return Path.Combine(configured, "reference-transcript.jsonl");
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException(
            $"shared/{relative} was not found above {AppContext.BaseDirectory}; set OPENCLAW_PROTOCOL_DIR to the folder that holds it.");
    }
}
