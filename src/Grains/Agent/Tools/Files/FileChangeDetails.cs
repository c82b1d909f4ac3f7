using OpenClaw.Grains.Gateway;

namespace OpenClaw.Grains.Agent.Tools.Files;

/// <summary>The <c>details</c> of a file change, as the reference reports a <c>write</c>: <c>{changed, created, diff, patch, firstChangedLine}</c>.</summary>
internal static class FileChangeDetails
{
    public static string Unchanged() => JsonPayload.Object(writer => writer.WriteBoolean("changed", false));

    public static string Changed(string path, string? oldText, string newText, bool created)
    {
        var diff = TextDiff.Compute(path, oldText ?? "", newText);
        return JsonPayload.Object(writer =>
        {
            writer.WriteBoolean("changed", true);
            writer.WriteBoolean("created", created);
            writer.WriteString("diff", diff.Diff);
            writer.WriteString("patch", diff.Patch);
            if (diff.FirstChangedLine is { } line)
            {
                writer.WriteNumber("firstChangedLine", line);
            }
        });
    }
}
