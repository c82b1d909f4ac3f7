using System.Globalization;
using System.Text;
using OpenClaw.Grains.Gateway;
using OpenClaw.Grains.Workspace;

namespace OpenClaw.Grains.Agent.Tools.Files;

/// <summary>
/// <c>read {path, offset?, limit?, cursor?, optional?}</c>: a text file of the tenant's workspace
/// (its own copy, else the template's), at most <see cref="FileToolLimits.ReadMaxLines"/> lines and
/// <see cref="FileToolLimits.ReadMaxBytes"/> bytes per call, with where to continue.
/// </summary>
internal sealed class ReadTool : IAgentTool
{
    public string Name => "read";

    public string Description => "Read a text file of the workspace. Text caps 2000 lines or 50KB. Continue with offset/limit, or cursor within a long line.";

    public string ParametersJson =>
        """{"type":"object","required":["path"],"properties":{"path":{"type":"string","description":"File path, relative to the workspace."},"offset":{"type":"integer","minimum":1,"description":"Start line; 1-based."},"limit":{"type":"number","description":"Max lines."},"cursor":{"type":"integer","minimum":0,"description":"Character position within the start line; 0-based."},"optional":{"type":"boolean","const":true,"description":"Missing paths return structured not_found instead of failing."}}}""";

    public Task<ToolResult> ExecuteAsync(AgentToolCall call, ToolRunContext context, CancellationToken cancellationToken) =>
        WorkspaceToolErrors.GuardAsync(async () =>
        {
            var args = call.Arguments;
            var path = WorkspaceToolErrors.Normalize(FileToolArgs.RequiredString(args, "path"));
            var offset = FileToolArgs.OptionalInt(args, "offset", 1, int.MaxValue) ?? 1;
            var limit = FileToolArgs.OptionalInt(args, "limit", 1, int.MaxValue);
            var cursor = FileToolArgs.OptionalInt(args, "cursor", 0, int.MaxValue) ?? 0;
            var optional = FileToolArgs.OptionalBool(args, "optional");
            var workspace = context.Workspace;
            if (workspace.KindOf(path) == WorkspaceEntryKind.Directory)
            {
                throw new AgentToolException($"'{path}' is a directory; use ls to list it", WorkspaceToolErrors.PathRejected);
            }

            var text = await workspace.ReadTextAsync(path, cancellationToken);
            var meta = $"from {path}";
            if (text is null)
            {
                if (optional)
                {
                    return ToolResult.Ok($"File not found: {path}", JsonPayload.Object(writer =>
                    {
                        writer.WriteString("kind", "not_found");
                        writer.WriteString("path", path);
                    }), meta);
                }

                throw new AgentToolException($"File not found: {path}", WorkspaceToolErrors.NotFound);
            }

            return Page(text, path, offset, limit, cursor, meta);
        });

    private static ToolResult Page(string text, string path, int offset, int? limit, int cursor, string meta)
    {
        var lines = SplitKeepingEnds(text);
        if (lines.Count == 0 && offset == 1)
        {
            return ToolResult.Ok("", Details("text", ""), meta);
        }

        if (offset > lines.Count)
        {
            throw new AgentToolException($"Offset {offset} is beyond the end of {path} ({lines.Count} lines)", "INVALID_ARGUMENTS");
        }

        var maxLines = Math.Min(limit ?? FileToolLimits.ReadMaxLines, FileToolLimits.ReadMaxLines);
        var output = new StringBuilder();
        var bytes = 0;
        var line = offset - 1;
        var first = lines[line];
        if (cursor > 0)
        {
            if (cursor >= first.Length)
            {
                throw new AgentToolException($"Cursor {cursor} is beyond the end of line {offset} ({first.Length} characters)", "INVALID_ARGUMENTS");
            }

            first = first[cursor..];
        }

        // A single line longer than the byte cap is cut; the cursor continues inside it.
        if (Encoding.UTF8.GetByteCount(first) > FileToolLimits.ReadMaxBytes)
        {
            var cut = CutToBytes(first, FileToolLimits.ReadMaxBytes);
            var nextCursor = cursor + cut.Length;
            var notice = string.Create(CultureInfo.InvariantCulture,
                $"\n\n[Line {offset} is longer than {FileToolLimits.ReadMaxBytes} bytes; showing characters {cursor}-{nextCursor - 1}. Use offset={offset} cursor={nextCursor} to continue.]");
            return ToolResult.Ok(cut + notice, Truncated(cut, offset, offset, lines.Count, offset, nextCursor), meta);
        }

        var taken = 0;
        while (line < lines.Count && taken < maxLines)
        {
            var current = taken == 0 ? first : lines[line];
            var size = Encoding.UTF8.GetByteCount(current);
            if (taken > 0 && bytes + size > FileToolLimits.ReadMaxBytes)
            {
                break;
            }

            output.Append(current);
            bytes += size;
            taken++;
            line++;
        }

        var content = output.ToString();
        if (line >= lines.Count)
        {
            return ToolResult.Ok(content, offset == 1 && cursor == 0 ? Details("text", content) : Truncated(content, offset, line, lines.Count, null, null), meta);
        }

        var endLine = line;
        var more = lines.Count - endLine;
        var stoppedByLimit = limit is { } asked && taken >= asked;
        var hint = stoppedByLimit
            ? $"[{more} more lines in file. Use offset={endLine + 1} to continue.]"
            : $"[Showing lines {offset}-{endLine} of {lines.Count}. Use offset={endLine + 1} to continue.]";
        var separator = content.EndsWith('\n') ? "\n" : "\n\n";
        return ToolResult.Ok(content + separator + hint, Truncated(content, offset, endLine, lines.Count, endLine + 1, null), meta);
    }

    private static string Details(string kind, string content) => JsonPayload.Object(writer =>
    {
        writer.WriteString("kind", kind);
        writer.WriteString("content", content);
    });

    private static string Truncated(string content, int startLine, int endLine, int totalLines, int? nextOffset, int? nextCursor) =>
        JsonPayload.Object(writer =>
        {
            writer.WriteString("kind", nextOffset is null ? "text" : "truncated");
            writer.WriteString("content", content);
            writer.WriteNumber("startLine", startLine);
            writer.WriteNumber("endLine", endLine);
            writer.WriteNumber("totalLines", totalLines);
            if (nextOffset is { } next)
            {
                writer.WriteNumber("nextOffset", next);
            }

            if (nextCursor is { } cursor)
            {
                writer.WriteNumber("nextCursor", cursor);
            }
        });

    /// <summary>The lines of <paramref name="text"/>, each with its line break.</summary>
    private static List<string> SplitKeepingEnds(string text)
    {
        var lines = new List<string>();
        var start = 0;
        while (start < text.Length)
        {
            var end = text.IndexOf('\n', start);
            if (end < 0)
            {
                lines.Add(text[start..]);
                break;
            }

            lines.Add(text[start..(end + 1)]);
            start = end + 1;
        }

        return lines;
    }

    /// <summary>The longest prefix of <paramref name="text"/> within <paramref name="maxBytes"/> UTF-8 bytes, never splitting a surrogate pair.</summary>
    private static string CutToBytes(string text, int maxBytes)
    {
        var bytes = 0;
        var i = 0;
        while (i < text.Length)
        {
            var width = char.IsHighSurrogate(text[i]) && i + 1 < text.Length ? 2 : 1;
            var size = Encoding.UTF8.GetByteCount(text.AsSpan(i, width));
            if (bytes + size > maxBytes)
            {
                break;
            }

            bytes += size;
            i += width;
        }

        return text[..i];
    }
}
