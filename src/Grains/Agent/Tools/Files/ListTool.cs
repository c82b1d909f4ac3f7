using System.Text;
using OpenClaw.Grains.Gateway;

namespace OpenClaw.Grains.Agent.Tools.Files;

/// <summary>
/// <c>ls {path?, limit?, after?}</c>: one directory of the workspace (overlay over template), in
/// ordinal name order, names JSON-quoted, <c>/</c> after directories, paged with <c>after</c>.
/// </summary>
internal sealed class ListTool : IAgentTool
{
    public string Name => "ls";

    public string Description => "List directory entries in binary filename order, including dotfiles and links. Names are JSON-quoted; / marks actual directories. Pass the returned after cursor with the same path to continue.";

    public string ParametersJson =>
        """{"type":"object","properties":{"path":{"type":"string","description":"Directory, relative to the workspace; default the workspace root."},"limit":{"type":"number","description":"Max entries; default 500."},"after":{"type":"string","description":"Filename cursor returned by the previous page."}}}""";

    public Task<ToolResult> ExecuteAsync(AgentToolCall call, ToolRunContext context, CancellationToken cancellationToken) =>
        WorkspaceToolErrors.GuardAsync(() =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            var args = call.Arguments;
            var path = WorkspaceToolErrors.Normalize(FileToolArgs.OptionalString(args, "path") ?? "", allowRoot: true);
            var limit = FileToolArgs.OptionalInt(args, "limit", 1, FileToolLimits.ListMaxLimit) ?? FileToolLimits.ListDefaultLimit;
            var after = FileToolArgs.OptionalString(args, "after");
            var shown = path.Length == 0 ? "." : path;
            var workspace = context.Workspace;
            var entries = workspace.ListEntries(path);
            if (entries is null)
            {
                throw workspace.KindOf(path) == Workspace.WorkspaceEntryKind.File
                    ? new AgentToolException($"Not a directory: {shown}; use read", WorkspaceToolErrors.PathRejected)
                    : new AgentToolException($"Directory not found: {shown}", WorkspaceToolErrors.NotFound);
            }

            var page = entries
                .Where(entry => after is null || string.CompareOrdinal(entry.Name, after) > 0)
                .Take(limit + 1)
                .ToList();
            var more = page.Count > limit;
            if (more)
            {
                page.RemoveAt(page.Count - 1);
            }

            var text = new StringBuilder();
            foreach (var entry in page)
            {
                text.Append(Quote(entry.Name));
                if (entry.IsDirectory)
                {
                    text.Append('/');
                }

                text.Append('\n');
            }

            string? next = more ? page[^1].Name : null;
            if (next is not null)
            {
                text.Append('[').Append(entries.Count(entry => string.CompareOrdinal(entry.Name, next) > 0))
                    .Append(" more entries. Continue with after=").Append(Quote(next)).Append(".]\n");
            }
            else if (page.Count == 0)
            {
                text.Append(after is null ? "(empty directory)\n" : "(no more entries)\n");
            }

            var details = JsonPayload.Object(writer =>
            {
                writer.WriteString("path", shown);
                writer.WriteStartArray("entries");
                foreach (var entry in page)
                {
                    writer.WriteStartObject();
                    writer.WriteString("name", entry.Name);
                    writer.WriteString("type", entry.IsDirectory ? "directory" : "file");
                    if (!entry.IsDirectory)
                    {
                        writer.WriteNumber("size", entry.Size);
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteBoolean("truncated", more);
                writer.WriteStringOrNull("after", next);
            });
            return Task.FromResult(ToolResult.Ok(text.ToString().TrimEnd('\n'), details, $"in {shown}"));
        });

    private static string Quote(string name) => JsonPayload.Write(writer => writer.WriteStringValue(name));
}
