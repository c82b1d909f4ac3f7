namespace OpenClaw.Grains.Agent.Tools.Files;

/// <summary>
/// Applies the hunks of an <c>*** Update File</c> to a file's text in memory. Each hunk's old lines
/// are searched from where the previous hunk ended (after its <c>@@</c> anchor line, if any):
/// exactly first, then ignoring trailing, then surrounding whitespace. The result ends with a newline.
/// </summary>
internal static class PatchApplier
{
    /// <summary>Line comparisons one update may spend searching for its hunks (a hostile patch cannot keep the tenant busy).</summary>
    public const long MaxComparisons = 20_000_000;

    public static string Apply(string path, string original, IReadOnlyList<PatchChunk> chunks)
    {
        var budget = new SearchBudget(path);
        var lines = TextDiff.SplitLines(original);
        var replacements = new List<(int Start, int Length, IReadOnlyList<string> NewLines)>();
        var position = 0;
        foreach (var chunk in chunks)
        {
            if (chunk.Anchor is { } anchor)
            {
                var at = Find(lines, [anchor], position, endOfFile: false, budget);
                if (at < 0)
                {
                    throw new AgentToolException($"Failed to find the context line '{anchor}' in {path}.", "PATCH_CONTEXT_NOT_FOUND");
                }

                position = at + 1;
            }

            if (chunk.OldLines.Count == 0)
            {
                var insertAt = chunk.Anchor is null ? lines.Count : position;
                replacements.Add((insertAt, 0, chunk.NewLines));
                position = insertAt;
                continue;
            }

            var start = Find(lines, chunk.OldLines, position, chunk.EndOfFile, budget);
            if (start < 0)
            {
                var expected = string.Join('\n', chunk.OldLines.Take(10));
                throw new AgentToolException($"Failed to find the expected lines in {path}:\n{expected}", "PATCH_CONTEXT_NOT_FOUND");
            }

            replacements.Add((start, chunk.OldLines.Count, chunk.NewLines));
            position = start + chunk.OldLines.Count;
        }

        replacements.Sort((a, b) => a.Start.CompareTo(b.Start));
        for (var i = 1; i < replacements.Count; i++)
        {
            if (replacements[i].Start < replacements[i - 1].Start + replacements[i - 1].Length)
            {
                throw new AgentToolException($"Hunks overlap in {path}.", "INVALID_PATCH");
            }
        }

        for (var i = replacements.Count - 1; i >= 0; i--)
        {
            var (start, length, newLines) = replacements[i];
            lines.RemoveRange(start, length);
            lines.InsertRange(start, newLines);
        }

        return lines.Count == 0 ? "" : string.Join('\n', lines) + "\n";
    }

    private static int Find(List<string> lines, IReadOnlyList<string> pattern, int from, bool endOfFile, SearchBudget budget)
    {
        if (endOfFile)
        {
            var atEnd = lines.Count - pattern.Count;
            if (atEnd >= from)
            {
                foreach (var compare in Comparers)
                {
                    if (Matches(lines, pattern, atEnd, compare, budget))
                    {
                        return atEnd;
                    }
                }
            }
        }

        foreach (var compare in Comparers)
        {
            for (var start = from; start + pattern.Count <= lines.Count; start++)
            {
                if (Matches(lines, pattern, start, compare, budget))
                {
                    return start;
                }
            }
        }

        return -1;
    }

    private static readonly Func<string, string, bool>[] Comparers =
    [
        static (a, b) => a == b,
        static (a, b) => a.TrimEnd() == b.TrimEnd(),
        static (a, b) => a.Trim() == b.Trim(),
    ];

    private static bool Matches(List<string> lines, IReadOnlyList<string> pattern, int start, Func<string, string, bool> compare, SearchBudget budget)
    {
        for (var k = 0; k < pattern.Count; k++)
        {
            budget.Spend();
            if (!compare(lines[start + k], pattern[k]))
            {
                return false;
            }
        }

        return true;
    }

    private sealed class SearchBudget(string path)
    {
        private long _left = MaxComparisons;

        public void Spend()
        {
            if (--_left < 0)
            {
                throw new AgentToolException($"The patch's hunks for {path} take too long to locate; use smaller hunks with distinctive context.", "PATCH_TOO_LARGE");
            }
        }
    }
}
