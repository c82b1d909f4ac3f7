namespace OpenClaw.Grains.Agent.Tools.Files;

internal enum PatchOpKind
{
    Add,
    Update,
    Delete,
}

/// <summary>One hunk of an <c>*** Update File</c>: the lines it replaces (context and removed) and their replacement.</summary>
internal sealed record PatchChunk(string? Anchor, IReadOnlyList<string> OldLines, IReadOnlyList<string> NewLines, bool EndOfFile);

/// <summary>One file operation of a patch; paths are as the patch names them (checked when it is applied).</summary>
internal sealed record PatchOperation(PatchOpKind Kind, string Path, string? MoveTo, string? Content, IReadOnlyList<PatchChunk> Chunks);

/// <summary>
/// Parses the <c>*** Begin Patch</c> … <c>*** End Patch</c> format: <c>*** Add File: p</c> (lines
/// starting with <c>+</c>), <c>*** Delete File: p</c>, <c>*** Update File: p</c> with an optional
/// <c>*** Move to: q</c> and hunks (<c>@@ [anchor]</c>, then lines starting with space, <c>-</c> or
/// <c>+</c>, optionally <c>*** End of File</c>). Malformed input is an <see cref="AgentToolException"/>
/// naming the line.
/// </summary>
internal static class PatchDocument
{
    private const string Begin = "*** Begin Patch";
    private const string End = "*** End Patch";
    private const string AddFile = "*** Add File: ";
    private const string DeleteFile = "*** Delete File: ";
    private const string UpdateFile = "*** Update File: ";
    private const string MoveTo = "*** Move to: ";
    private const string EndOfFile = "*** End of File";

    public static IReadOnlyList<PatchOperation> Parse(string input)
    {
        var lines = input.Replace("\r\n", "\n", StringComparison.Ordinal).Trim().Split('\n');
        if (lines.Length < 2 || lines[0].Trim() != Begin)
        {
            throw Invalid(1, $"the patch must start with '{Begin}'");
        }

        if (lines[^1].Trim() != End)
        {
            throw Invalid(lines.Length, $"the patch must end with '{End}'");
        }

        var operations = new List<PatchOperation>();
        var i = 1;
        var last = lines.Length - 1;
        while (i < last)
        {
            var line = lines[i];
            if (line.StartsWith(AddFile, StringComparison.Ordinal))
            {
                var path = PathOf(line, AddFile, i);
                i++;
                var content = new System.Text.StringBuilder();
                while (i < last && !lines[i].StartsWith("*** ", StringComparison.Ordinal))
                {
                    if (!lines[i].StartsWith('+'))
                    {
                        throw Invalid(i + 1, "every line of an added file must start with '+'");
                    }

                    content.Append(lines[i], 1, lines[i].Length - 1).Append('\n');
                    i++;
                }

                operations.Add(new PatchOperation(PatchOpKind.Add, path, null, content.ToString(), []));
            }
            else if (line.StartsWith(DeleteFile, StringComparison.Ordinal))
            {
                operations.Add(new PatchOperation(PatchOpKind.Delete, PathOf(line, DeleteFile, i), null, null, []));
                i++;
            }
            else if (line.StartsWith(UpdateFile, StringComparison.Ordinal))
            {
                var path = PathOf(line, UpdateFile, i);
                i++;
                string? moveTo = null;
                if (i < last && lines[i].StartsWith(MoveTo, StringComparison.Ordinal))
                {
                    moveTo = PathOf(lines[i], MoveTo, i);
                    i++;
                }

                var chunks = ParseChunks(lines, ref i, last);
                if (chunks.Count == 0 && moveTo is null)
                {
                    throw Invalid(i, $"'{UpdateFile}{path}' has no hunks");
                }

                operations.Add(new PatchOperation(PatchOpKind.Update, path, moveTo, null, chunks));
            }
            else if (line.Trim().Length == 0)
            {
                i++;
            }
            else
            {
                throw Invalid(i + 1, $"expected '{AddFile}', '{DeleteFile}' or '{UpdateFile}', got '{Shorten(line)}'");
            }
        }

        if (operations.Count == 0)
        {
            throw Invalid(1, "the patch holds no file operations");
        }

        return operations;
    }

    private static List<PatchChunk> ParseChunks(string[] lines, ref int i, int last)
    {
        var chunks = new List<PatchChunk>();
        string? anchor = null;
        var oldLines = new List<string>();
        var newLines = new List<string>();
        var open = false;

        void Close(bool endOfFile)
        {
            if (open && (oldLines.Count > 0 || newLines.Count > 0))
            {
                chunks.Add(new PatchChunk(anchor, [.. oldLines], [.. newLines], endOfFile));
            }

            anchor = null;
            oldLines.Clear();
            newLines.Clear();
            open = false;
        }

        while (i < last)
        {
            var line = lines[i];
            if (line == EndOfFile)
            {
                Close(endOfFile: true);
                i++;
                continue;
            }

            if (line.StartsWith("*** ", StringComparison.Ordinal))
            {
                break;
            }

            if (line.StartsWith("@@", StringComparison.Ordinal))
            {
                Close(endOfFile: false);
                var text = line[2..].Trim();
                anchor = text.Length == 0 ? null : text;
                open = true;
                i++;
                continue;
            }

            open = true;
            if (line.Length == 0)
            {
                oldLines.Add("");
                newLines.Add("");
            }
            else
            {
                switch (line[0])
                {
                    case ' ':
                        oldLines.Add(line[1..]);
                        newLines.Add(line[1..]);
                        break;
                    case '-':
                        oldLines.Add(line[1..]);
                        break;
                    case '+':
                        newLines.Add(line[1..]);
                        break;
                    default:
                        throw Invalid(i + 1, $"a hunk line must start with ' ', '-' or '+', got '{Shorten(line)}'");
                }
            }

            i++;
        }

        Close(endOfFile: false);
        return chunks;
    }

    private static string PathOf(string line, string prefix, int index)
    {
        var path = line[prefix.Length..].Trim();
        return path.Length == 0 ? throw Invalid(index + 1, $"'{prefix.Trim()}' needs a path") : path;
    }

    private static string Shorten(string line) => line.Length > 80 ? line[..80] + "…" : line;

    private static AgentToolException Invalid(int lineNumber, string problem) =>
        new($"Invalid patch (line {lineNumber}): {problem}.", "INVALID_PATCH");
}
