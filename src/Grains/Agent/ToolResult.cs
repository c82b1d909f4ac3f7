namespace OpenClaw.Grains.Agent;

/// <summary>
/// What a tool call produced: the text the model gets back (<c>content:[{type:"text",text}]</c>),
/// optional <c>details</c> JSON for clients and history, whether it failed, and the one-line
/// <c>meta</c> the tool events show (for example <c>to notes/a.txt (16 chars)</c>).
/// </summary>
internal sealed record ToolResult
{
    public required string Text { get; init; }
    public string? DetailsJson { get; init; }
    public bool IsError { get; init; }
    public string? Meta { get; init; }

    public static ToolResult Ok(string text, string? detailsJson = null, string? meta = null) =>
        new() { Text = text, DetailsJson = detailsJson, Meta = meta };

    /// <summary>A failure the model sees: <c>details:{status:"error", error}</c> unless <paramref name="detailsJson"/> is given.</summary>
    public static ToolResult Error(string message, string? detailsJson = null) =>
        new() { Text = message, IsError = true, DetailsJson = detailsJson ?? ErrorDetails(message) };

    private static string ErrorDetails(string message) => Gateway.JsonPayload.Object(writer =>
    {
        writer.WriteString("status", "error");
        writer.WriteString("error", message);
    });
}
