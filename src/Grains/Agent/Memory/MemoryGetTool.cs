using OpenClaw.Grains.Gateway;

namespace OpenClaw.Grains.Agent.Memory;

/// <summary>
/// <c>memory_get {path, from?, lines?}</c>: an excerpt of one memory file (MEMORY.md, USER.md,
/// memory/**/*.md), a window of lines (120 by default) capped at 12,000 characters, with where to
/// continue when there is more.
/// </summary>
internal sealed class MemoryGetTool : IAgentTool
{
    public string Name => "memory_get";

    public string Description =>
        "Read part of a memory file (MEMORY.md, USER.md or memory/**/*.md): a window of lines, e.g. around a memory_search hit.";

    public string ParametersJson => """
        {"type":"object","properties":{
        "path":{"type":"string","description":"Memory file path, e.g. MEMORY.md or memory/2026-01-31.md."},
        "from":{"type":"integer","minimum":1,"description":"First line to read (1-based)."},
        "lines":{"type":"integer","minimum":1,"description":"Number of lines to read (default 120)."}},
        "required":["path"],"additionalProperties":false}
        """;

    public async Task<ToolResult> ExecuteAsync(AgentToolCall call, ToolRunContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(context);
        string path;
        int from;
        int lines;
        try
        {
            var arguments = new GatewayParams(call.Arguments);
            path = MemoryFiles.Normalize(arguments.RequiredString("path", Workspace.WorkspacePaths.MaxPathLength));
            from = (int)(arguments.OptionalInteger("from", 1, int.MaxValue) ?? 1);
            lines = (int)Math.Min(arguments.OptionalInteger("lines", 1, int.MaxValue) ?? MemoryLimits.GetDefaultLines, MemoryLimits.GetMaxLines);
        }
        catch (GatewayParamsException ex)
        {
            throw new AgentToolException($"invalid memory_get arguments: {ex.Message}");
        }

        string? text;
        try
        {
            text = await context.Workspace.ReadTextAsync(path, cancellationToken);
        }
        catch (Workspace.WorkspacePathException ex)
        {
            throw new AgentToolException(ex.Message, "MEMORY_PATH_DENIED");
        }
        catch (Workspace.WorkspaceFileTooLargeException ex)
        {
            throw new AgentToolException(ex.Message);
        }

        if (text is null)
        {
            var missing = JsonPayload.Object(writer =>
            {
                writer.WriteString("path", path);
                writer.WriteBoolean("missing", true);
                writer.WriteString("text", "");
            });
            return ToolResult.Ok(missing, missing, $"{path} (missing)");
        }

        var all = text.ReplaceLineEndings("\n").Split('\n');
        var totalLines = text.Length == 0 ? 0 : all.Length;
        var start = Math.Min(from, totalLines + 1);
        var window = new System.Text.StringBuilder();
        var taken = 0;
        var cut = false;
        for (var index = start - 1; index < totalLines && taken < lines; index++)
        {
            var line = all[index];
            var needed = (taken > 0 ? 1 : 0) + line.Length;
            if (window.Length + needed > MemoryLimits.GetMaxChars)
            {
                if (taken == 0)
                {
                    window.Append(line.AsSpan(0, MemoryLimits.GetMaxChars)); // one huge line: its start
                    taken = 1;
                }

                cut = true;
                break;
            }

            if (taken > 0)
            {
                window.Append('\n');
            }

            window.Append(line);
            taken++;
        }

        var next = start + taken;
        var more = next <= totalLines;
        var payload = JsonPayload.Object(writer =>
        {
            writer.WriteString("path", path);
            writer.WriteNumber("from", start);
            writer.WriteNumber("lines", taken);
            writer.WriteNumber("totalLines", totalLines);
            writer.WriteBoolean("truncated", cut || more);
            if (more)
            {
                writer.WriteNumber("nextFrom", next);
            }

            writer.WriteString("text", window.ToString());
        });
        return ToolResult.Ok(payload, payload, taken == 0 ? $"{path} (no lines from {start})" : $"{path} lines {start}-{start + taken - 1}");
    }
}
