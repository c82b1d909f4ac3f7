using System.Text;
using OpenClaw.Grains.Workspace;

namespace OpenClaw.Grains.Agent.Tools.Files;

/// <summary><c>write {path, content}</c>: creates or overwrites a file in the tenant's overlay (parent directories included).</summary>
internal sealed class WriteTool : IAgentTool
{
    public string Name => "write";

    public string Description => "Write/overwrite file; creates parent directories.";

    public string ParametersJson =>
        """{"type":"object","required":["path","content"],"properties":{"path":{"type":"string","description":"File path, relative to the workspace."},"content":{"type":"string","description":"File content."}}}""";

    public Task<ToolResult> ExecuteAsync(AgentToolCall call, ToolRunContext context, CancellationToken cancellationToken) =>
        WorkspaceToolErrors.GuardAsync(async () =>
        {
            var path = WorkspaceToolErrors.Normalize(FileToolArgs.RequiredString(call.Arguments, "path"));
            var content = FileToolArgs.RequiredString(call.Arguments, "content");
            var workspace = context.Workspace;
            var kind = workspace.KindOf(path);
            if (kind == WorkspaceEntryKind.Directory)
            {
                throw new AgentToolException($"'{path}' is a directory", WorkspaceToolErrors.PathRejected);
            }

            string? previous = null;
            if (kind == WorkspaceEntryKind.File)
            {
                try
                {
                    previous = await workspace.ReadTextAsync(path, cancellationToken);
                }
                catch (WorkspaceFileTooLargeException)
                {
                    previous = null; // too large to diff; it is replaced all the same
                }
            }

            var bytes = Encoding.UTF8.GetByteCount(content);
            var meta = $"to {path} ({content.Length} chars)";
            var text = $"Successfully wrote {bytes} bytes to {path}";
            if (previous == content && workspace.IsInOverlay(path))
            {
                return ToolResult.Ok(text, FileChangeDetails.Unchanged(), meta);
            }

            await workspace.WriteTextAsync(path, content, cancellationToken);
            var details = previous == content
                ? FileChangeDetails.Unchanged()
                : FileChangeDetails.Changed(path, previous, content, created: kind == WorkspaceEntryKind.None);
            return ToolResult.Ok(text, details, meta);
        });
}
