using System.Text;
using OpenClaw.Grains.Gateway;
using OpenClaw.Grains.Workspace;

namespace OpenClaw.Grains.Agent.Tools.Files;

/// <summary>
/// <c>apply_patch {input}</c>: adds, updates (and moves) and deletes workspace files from one
/// patch, all or nothing: every operation is parsed, confined, checked against the files and the
/// size and quota limits and computed in memory before the first file is written.
/// </summary>
internal sealed class ApplyPatchTool : IAgentTool
{
    public string Name => "apply_patch";

    public string Description => "Patch one/many files. Input requires *** Begin Patch and *** End Patch.";

    public string ParametersJson =>
        """{"type":"object","required":["input"],"properties":{"input":{"type":"string","description":"Patch content using the *** Begin Patch/End Patch format."}}}""";

    public Task<ToolResult> ExecuteAsync(AgentToolCall call, ToolRunContext context, CancellationToken cancellationToken) =>
        WorkspaceToolErrors.GuardAsync(async () =>
        {
            var input = FileToolArgs.RequiredString(call.Arguments, "input");
            if (input.Length > FileToolLimits.MaxPatchChars)
            {
                throw new AgentToolException($"The patch is {input.Length} characters; at most {FileToolLimits.MaxPatchChars} are accepted. Split it.", "PATCH_TOO_LARGE");
            }

            var operations = PatchDocument.Parse(input);
            if (operations.Count > FileToolLimits.MaxPatchFiles)
            {
                throw new AgentToolException($"The patch touches {operations.Count} files; at most {FileToolLimits.MaxPatchFiles} per call.", "PATCH_TOO_LARGE");
            }

            var workspace = context.Workspace;
            var plan = await PlanAsync(workspace, operations, cancellationToken);
            await ApplyAsync(workspace, plan, cancellationToken);
            return Result(plan);
        });

    private static async Task<List<PlannedChange>> PlanAsync(TenantWorkspace workspace, IReadOnlyList<PatchOperation> operations, CancellationToken ct)
    {
        var touched = new HashSet<string>(StringComparer.Ordinal);
        var plan = new List<PlannedChange>();
        foreach (var operation in operations)
        {
            ct.ThrowIfCancellationRequested();
            var path = WorkspaceToolErrors.Normalize(operation.Path);
            var moveTo = operation.MoveTo is null ? null : WorkspaceToolErrors.Normalize(operation.MoveTo);
            foreach (var name in moveTo is null ? [path] : new[] { path, moveTo })
            {
                if (!touched.Add(name))
                {
                    throw new AgentToolException($"The patch touches {name} more than once; merge those operations.", "INVALID_PATCH");
                }
            }

            var kind = workspace.KindOf(path);
            switch (operation.Kind)
            {
                case PatchOpKind.Add:
                    if (kind != WorkspaceEntryKind.None)
                    {
                        throw new AgentToolException($"Cannot add {path}: it already exists; use '*** Update File'.", "INVALID_PATCH");
                    }

                    CheckSize(workspace, path, operation.Content!);
                    plan.Add(new PlannedChange('A', path, null, null, operation.Content!));
                    break;
                case PatchOpKind.Delete:
                    if (kind != WorkspaceEntryKind.File)
                    {
                        throw new AgentToolException($"Cannot delete {path}: no such file.", WorkspaceToolErrors.NotFound);
                    }

                    plan.Add(new PlannedChange('D', path, null, null, null));
                    break;
                default:
                    if (kind != WorkspaceEntryKind.File)
                    {
                        throw new AgentToolException($"Cannot update {path}: no such file.", WorkspaceToolErrors.NotFound);
                    }

                    if (moveTo is not null && workspace.KindOf(moveTo) != WorkspaceEntryKind.None)
                    {
                        throw new AgentToolException($"Cannot move {path} to {moveTo}: it already exists.", "INVALID_PATCH");
                    }

                    var original = await workspace.ReadTextAsync(path, ct) ?? "";
                    var updated = operation.Chunks.Count == 0 ? original : PatchApplier.Apply(path, original, operation.Chunks);
                    CheckSize(workspace, moveTo ?? path, updated);
                    plan.Add(new PlannedChange('M', path, moveTo, original, updated));
                    break;
            }
        }

        workspace.EnsureQuota(QuotaChanges(workspace, plan), "applying the patch");
        return plan;
    }

    private static IEnumerable<(long, long)> QuotaChanges(TenantWorkspace workspace, List<PlannedChange> plan)
    {
        foreach (var change in plan)
        {
            if (change.NewText is { } text)
            {
                yield return (workspace.OverlayBytes(change.Target), Encoding.UTF8.GetByteCount(text));
            }

            if (change.Op == 'D' || change.MoveTo is not null)
            {
                yield return (workspace.OverlayBytes(change.Path), -1);
                if (workspace.IsInTemplate(change.Path))
                {
                    yield return (-1, 0); // the marker that hides the template's copy
                }
            }
        }
    }

    /// <summary>Writes, then deletes; on a failure midway the overlay copies already changed are put back as they were.</summary>
    private static async Task ApplyAsync(TenantWorkspace workspace, List<PlannedChange> plan, CancellationToken ct)
    {
        var before = new List<(string Path, string? OverlayText)>();
        foreach (var path in plan.SelectMany(change => change.MoveTo is null ? [change.Path] : new[] { change.Path, change.MoveTo }))
        {
            before.Add((path, workspace.IsInOverlay(path) ? await workspace.ReadTextAsync(path, ct) : null));
        }

        try
        {
            foreach (var change in plan.Where(change => change.NewText is not null))
            {
                await workspace.WriteTextAsync(change.Target, change.NewText!, CancellationToken.None);
            }

            foreach (var change in plan.Where(change => change.Op == 'D' || change.MoveTo is not null))
            {
                await workspace.RemoveAsync(change.Path, CancellationToken.None);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            foreach (var (path, text) in before)
            {
                try
                {
                    if (text is null)
                    {
                        await workspace.DeleteAsync(path, CancellationToken.None);
                    }
                    else
                    {
                        await workspace.WriteTextAsync(path, text, CancellationToken.None);
                    }
                }
                catch (Exception restore) when (restore is IOException or UnauthorizedAccessException)
                {
                    // Best effort: the first failure is what the model hears about.
                }
            }

            throw;
        }
    }

    private static void CheckSize(TenantWorkspace workspace, string path, string text)
    {
        var bytes = Encoding.UTF8.GetByteCount(text);
        if (bytes > workspace.MaxFileBytes)
        {
            throw new AgentToolException($"{path} would be {bytes} bytes; workspace files may be at most {workspace.MaxFileBytes} bytes. Nothing was written.", WorkspaceToolErrors.TooLarge);
        }
    }

    private static ToolResult Result(List<PlannedChange> plan)
    {
        var text = new StringBuilder("Success. Updated the following files:");
        foreach (var change in plan)
        {
            text.Append('\n').Append(change.Op).Append(' ').Append(change.Target);
        }

        var details = JsonPayload.Object(writer =>
        {
            writer.WriteBoolean("changed", true);
            writer.WriteStartArray("files");
            foreach (var change in plan)
            {
                writer.WriteStartObject();
                writer.WriteString("op", change.Op switch { 'A' => "add", 'D' => "delete", _ => change.MoveTo is null ? "update" : "move" });
                writer.WriteString("path", change.Path);
                if (change.MoveTo is not null)
                {
                    writer.WriteString("movePath", change.MoveTo);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            var patch = new StringBuilder();
            foreach (var change in plan.Where(change => change.NewText is not null))
            {
                patch.Append(TextDiff.Compute(change.Target, change.OldText ?? "", change.NewText!).Patch);
                if (patch.Length > FileToolLimits.MaxDiffChars)
                {
                    break;
                }
            }

            writer.WriteString("patch", patch.Length > FileToolLimits.MaxDiffChars ? patch.ToString(0, FileToolLimits.MaxDiffChars) + "\n…(patch truncated)\n" : patch.ToString());
        });
        return ToolResult.Ok(text.ToString(), details, $"{plan.Count} file{(plan.Count == 1 ? "" : "s")}");
    }

    /// <summary>A computed change: op A (add), M (update, maybe moved) or D (delete).</summary>
    private sealed record PlannedChange(char Op, string Path, string? MoveTo, string? OldText, string? NewText)
    {
        public string Target => MoveTo ?? Path;
    }
}
