using System.Globalization;
using System.Text;

namespace OpenClaw.Grains.Agent.Tools.Files;

/// <summary>
/// The line diff a changed file reports: <c>diff</c> (changed lines numbered, <c>-3 old</c> /
/// <c>+3 new</c>), a unified <c>patch</c> with three lines of context, and the first changed line
/// (1-based, in the new text). Common leading and trailing lines are skipped first; the middle gets
/// a minimal diff when it is small enough, else it is shown as removed then added.
/// </summary>
internal sealed class TextDiff
{
    private const int ContextLines = 3;

    private TextDiff(string diff, string patch, int? firstChangedLine)
    {
        Diff = diff;
        Patch = patch;
        FirstChangedLine = firstChangedLine;
    }

    public string Diff { get; }

    public string Patch { get; }

    public int? FirstChangedLine { get; }

    public static TextDiff Compute(string path, string oldText, string newText)
    {
        var oldLines = SplitLines(oldText);
        var newLines = SplitLines(newText);
        var ops = Operations(oldLines, newLines);
        int? first = null;
        var diff = new StringBuilder();
        foreach (var op in ops)
        {
            if (op.Kind == ' ')
            {
                continue;
            }

            first ??= Math.Max(1, op.Kind == '+' ? op.NewLine : op.NewLine);
            if (diff.Length > 0)
            {
                diff.Append('\n');
            }

            diff.Append(op.Kind).Append((op.Kind == '-' ? op.OldLine : op.NewLine).ToString(CultureInfo.InvariantCulture)).Append(' ').Append(op.Text);
            if (diff.Length > FileToolLimits.MaxDiffChars)
            {
                diff.Length = FileToolLimits.MaxDiffChars;
                diff.Append("\n…(diff truncated)");
                break;
            }
        }

        return new TextDiff(diff.ToString(), UnifiedPatch(path, ops), first);
    }

    /// <summary>Lines of <paramref name="text"/> without their terminators; a final newline does not start another line.</summary>
    public static List<string> SplitLines(string text)
    {
        var lines = new List<string>(text.Split('\n'));
        if (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].EndsWith('\r'))
            {
                lines[i] = lines[i][..^1];
            }
        }

        return lines;
    }

    private static List<Op> Operations(List<string> a, List<string> b)
    {
        var prefix = 0;
        while (prefix < a.Count && prefix < b.Count && a[prefix] == b[prefix])
        {
            prefix++;
        }

        var suffix = 0;
        while (suffix < a.Count - prefix && suffix < b.Count - prefix && a[a.Count - 1 - suffix] == b[b.Count - 1 - suffix])
        {
            suffix++;
        }

        var ops = new List<Op>(a.Count + b.Count);
        for (var i = 0; i < prefix; i++)
        {
            ops.Add(new Op(' ', i + 1, i + 1, a[i]));
        }

        var oldCount = a.Count - prefix - suffix;
        var newCount = b.Count - prefix - suffix;
        if ((long)oldCount * newCount <= FileToolLimits.MaxDiffCells)
        {
            Middle(a, b, prefix, oldCount, newCount, ops);
        }
        else
        {
            for (var i = 0; i < oldCount; i++)
            {
                ops.Add(new Op('-', prefix + i + 1, prefix + 1, a[prefix + i]));
            }

            for (var j = 0; j < newCount; j++)
            {
                ops.Add(new Op('+', prefix + oldCount + 1, prefix + j + 1, b[prefix + j]));
            }
        }

        for (var k = 0; k < suffix; k++)
        {
            ops.Add(new Op(' ', a.Count - suffix + k + 1, b.Count - suffix + k + 1, a[a.Count - suffix + k]));
        }

        return ops;
    }

    /// <summary>Longest common subsequence of the changed middle, walked into -, + and context lines.</summary>
    private static void Middle(List<string> a, List<string> b, int offset, int n, int m, List<Op> ops)
    {
        var table = new int[n + 1, m + 1];
        for (var i = n - 1; i >= 0; i--)
        {
            for (var j = m - 1; j >= 0; j--)
            {
                table[i, j] = a[offset + i] == b[offset + j] ? table[i + 1, j + 1] + 1 : Math.Max(table[i + 1, j], table[i, j + 1]);
            }
        }

        int x = 0, y = 0;
        while (x < n || y < m)
        {
            if (x < n && y < m && a[offset + x] == b[offset + y])
            {
                ops.Add(new Op(' ', offset + x + 1, offset + y + 1, a[offset + x]));
                x++;
                y++;
            }
            else if (x < n && (y == m || table[x + 1, y] >= table[x, y + 1]))
            {
                ops.Add(new Op('-', offset + x + 1, offset + y + 1, a[offset + x]));
                x++;
            }
            else
            {
                ops.Add(new Op('+', offset + x + 1, offset + y + 1, b[offset + y]));
                y++;
            }
        }
    }

    private static string UnifiedPatch(string path, List<Op> ops)
    {
        var patch = new StringBuilder();
        patch.Append("--- ").Append(path).Append('\n').Append("+++ ").Append(path).Append('\n');
        var index = 0;
        while (index < ops.Count)
        {
            var change = ops.FindIndex(index, op => op.Kind != ' ');
            if (change < 0)
            {
                break;
            }

            var start = Math.Max(index, change - ContextLines);
            var end = change;
            var lastChange = change;
            while (end < ops.Count && end - lastChange <= ContextLines * 2)
            {
                if (ops[end].Kind != ' ')
                {
                    lastChange = end;
                }

                end++;
            }

            end = Math.Min(ops.Count, lastChange + ContextLines + 1);
            var hunk = ops.GetRange(start, end - start);
            var oldCount = hunk.Count(op => op.Kind != '+');
            var newCount = hunk.Count(op => op.Kind != '-');
            var oldStart = oldCount == 0 ? hunk[0].OldLine - 1 : hunk.First(op => op.Kind != '+').OldLine;
            var newStart = newCount == 0 ? hunk[0].NewLine - 1 : hunk.First(op => op.Kind != '-').NewLine;
            patch.Append(CultureInfo.InvariantCulture, $"@@ -{oldStart},{oldCount} +{newStart},{newCount} @@\n");
            foreach (var op in hunk)
            {
                patch.Append(op.Kind).Append(op.Text).Append('\n');
            }

            if (patch.Length > FileToolLimits.MaxDiffChars)
            {
                patch.Length = FileToolLimits.MaxDiffChars;
                patch.Append("\n…(patch truncated)\n");
                break;
            }

            index = end;
        }

        return patch.ToString();
    }

    private readonly record struct Op(char Kind, int OldLine, int NewLine, string Text);
}
