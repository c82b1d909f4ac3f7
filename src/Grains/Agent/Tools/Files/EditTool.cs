using System.Text.Json;
using OpenClaw.Grains.Workspace;

namespace OpenClaw.Grains.Agent.Tools.Files;

/// <summary>
/// <c>edit {path, edits:[{oldText, newText}]}</c>: exact replacements in one file, each
/// <c>oldText</c> found exactly once in the original and not overlapping another; all or nothing.
/// </summary>
internal sealed class EditTool : IAgentTool
{
    public string Name => "edit";

    public string Description => "Exact single-file replacements. oldText unique/non-overlapping against original. Merge nearby changes; omit large unchanged spans.";

    public string ParametersJson =>
        """{"type":"object","required":["path","edits"],"properties":{"path":{"type":"string","description":"File path, relative to the workspace."},"edits":{"type":"array","items":{"type":"object","required":["oldText","newText"],"properties":{"oldText":{"type":"string","description":"Exact original text; unique and non-overlapping in this call."},"newText":{"type":"string","description":"Replacement text."}}},"description":"Targeted replacements against original file; no overlap/nesting. Merge nearby changes."}}}""";

    public Task<ToolResult> ExecuteAsync(AgentToolCall call, ToolRunContext context, CancellationToken cancellationToken) =>
        WorkspaceToolErrors.GuardAsync(async () =>
        {
            var path = WorkspaceToolErrors.Normalize(FileToolArgs.RequiredString(call.Arguments, "path"));
            var edits = ReadEdits(call.Arguments);
            var workspace = context.Workspace;
            if (workspace.KindOf(path) == WorkspaceEntryKind.Directory)
            {
                throw new AgentToolException($"'{path}' is a directory", WorkspaceToolErrors.PathRejected);
            }

            var original = await workspace.ReadTextAsync(path, cancellationToken)
                ?? throw new AgentToolException($"File not found: {path}", WorkspaceToolErrors.NotFound);
            var updated = Apply(path, original, edits);
            if (updated == original)
            {
                return ToolResult.Ok($"No changes made to {path}: the replacements equal the original text.", FileChangeDetails.Unchanged(), $"in {path}");
            }

            await workspace.WriteTextAsync(path, updated, cancellationToken);
            return ToolResult.Ok(
                $"Successfully replaced {edits.Count} block(s) in {path}.",
                FileChangeDetails.Changed(path, original, updated, created: false),
                $"in {path} ({edits.Count} edit{(edits.Count == 1 ? "" : "s")})");
        });

    /// <summary>The text with every edit applied against <paramref name="original"/>; throws when one is not found, not unique or overlaps another.</summary>
    internal static string Apply(string path, string original, IReadOnlyList<(string OldText, string NewText)> edits)
    {
        var located = new List<(int Start, int Length, string NewText, int Index)>(edits.Count);
        for (var i = 0; i < edits.Count; i++)
        {
            var (oldText, newText) = edits[i];
            var at = original.IndexOf(oldText, StringComparison.Ordinal);
            if (at < 0)
            {
                throw new AgentToolException(
                    $"edits[{i}].oldText was not found in {path}; it must match the file exactly (whitespace and line breaks included). Read the file again and retry.",
                    "EDIT_NOT_FOUND");
            }

            var again = original.IndexOf(oldText, at + 1, StringComparison.Ordinal);
            if (again >= 0)
            {
                throw new AgentToolException(
                    $"edits[{i}].oldText occurs more than once in {path}; add surrounding text so it is unique.",
                    "EDIT_NOT_UNIQUE");
            }

            located.Add((at, oldText.Length, newText, i));
        }

        located.Sort((a, b) => a.Start.CompareTo(b.Start));
        for (var i = 1; i < located.Count; i++)
        {
            if (located[i].Start < located[i - 1].Start + located[i - 1].Length)
            {
                throw new AgentToolException(
                    $"edits[{located[i - 1].Index}] and edits[{located[i].Index}] overlap in {path}; merge them into one edit.",
                    "EDIT_OVERLAP");
            }
        }

        var result = new System.Text.StringBuilder(original.Length);
        var position = 0;
        foreach (var (start, length, newText, _) in located)
        {
            result.Append(original, position, start - position).Append(newText);
            position = start + length;
        }

        return result.Append(original, position, original.Length - position).ToString();
    }

    private static List<(string OldText, string NewText)> ReadEdits(JsonElement args)
    {
        if (args.ValueKind != JsonValueKind.Object || !args.TryGetProperty("edits", out var edits) || edits.ValueKind != JsonValueKind.Array)
        {
            throw new AgentToolException("'edits' is required: an array of {oldText, newText}", "INVALID_ARGUMENTS");
        }

        var count = edits.GetArrayLength();
        if (count == 0)
        {
            throw new AgentToolException("'edits' must hold at least one replacement", "INVALID_ARGUMENTS");
        }

        if (count > FileToolLimits.MaxEdits)
        {
            throw new AgentToolException($"'edits' may hold at most {FileToolLimits.MaxEdits} replacements per call", "INVALID_ARGUMENTS");
        }

        var list = new List<(string, string)>(count);
        var index = 0;
        foreach (var edit in edits.EnumerateArray())
        {
            if (edit.ValueKind != JsonValueKind.Object)
            {
                throw new AgentToolException($"edits[{index}] must be an object {{oldText, newText}}", "INVALID_ARGUMENTS");
            }

            var oldText = FileToolArgs.RequiredString(edit, "oldText");
            var newText = FileToolArgs.RequiredString(edit, "newText");
            if (oldText.Length == 0)
            {
                throw new AgentToolException($"edits[{index}].oldText must not be empty", "INVALID_ARGUMENTS");
            }

            list.Add((oldText, newText));
            index++;
        }

        return list;
    }
}
