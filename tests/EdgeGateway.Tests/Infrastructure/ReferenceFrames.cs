using System.Text.Json;

namespace OpenClaw.EdgeGateway.Tests.Infrastructure;

/// <summary>
/// Lines of <c>shared/protocol/reference-transcript.jsonl</c> (frames between the official
/// OpenClaw clients and the real gateway), copied to <c>Reference/reference-frames.jsonl</c> so
/// the tests run without the shared folder. Each line is <c>{conn, t, dir, frame}</c>.
/// </summary>
internal static class ReferenceFrames
{
    private static readonly Lazy<IReadOnlyList<JsonElement>> LinesLazy = new(Load);

    public static IReadOnlyList<JsonElement> Lines => LinesLazy.Value;

    /// <summary>The frame of the first line of connection <paramref name="conn"/> matching <paramref name="match"/>.</summary>
    public static JsonElement Frame(int conn, string direction, Func<JsonElement, bool> match) =>
        Lines.First(l => l.GetProperty("conn").GetInt32() == conn
                         && l.GetProperty("dir").GetString() == direction
                         && match(l.GetProperty("frame"))).GetProperty("frame");

    public static JsonElement Line(int conn, string direction) =>
        Lines.First(l => l.GetProperty("conn").GetInt32() == conn && l.GetProperty("dir").GetString() == direction);

    public static JsonElement Challenge(int conn) => Frame(conn, "s2c", f => Is(f, "event", "event", "connect.challenge"));

    public static JsonElement Connect(int conn) => Frame(conn, "c2s", f => Is(f, "req", "method", "connect"));

    public static JsonElement ConnectResponse(int conn) =>
        Frame(conn, "s2c", f => f.GetProperty("type").GetString() == "res" && f.GetProperty("id").GetString() == Connect(conn).GetProperty("id").GetString());

    public static JsonElement Tick() => Frame(6, "s2c", f => Is(f, "event", "event", "tick"));

    public static JsonElement HealthResponse() => Frame(1, "s2c", f => f.GetProperty("type").GetString() == "res" && f.GetProperty("id").GetString()!.StartsWith("2:", StringComparison.Ordinal));

    private static bool Is(JsonElement frame, string type, string property, string value) =>
        frame.GetProperty("type").GetString() == type && frame.TryGetProperty(property, out var p) && p.GetString() == value;

    private static IReadOnlyList<JsonElement> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Reference", "reference-frames.jsonl");
        return File.ReadLines(path)
            .Where(line => line.Length > 0)
            .Select(line =>
            {
                using var document = JsonDocument.Parse(line);
                return document.RootElement.Clone();
            })
            .ToList();
    }
}
