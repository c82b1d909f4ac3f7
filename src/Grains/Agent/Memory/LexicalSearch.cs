using System.Globalization;
using System.Text;

namespace OpenClaw.Grains.Agent.Memory;

/// <summary>
/// A small in-memory BM25 search over passages of the tenant's memory files: lower-cased word
/// tokens (letters and digits, diacritics kept), passages of a few lines, scores normalised to
/// 0..1 (<c>s / (s + 1)</c>). Built per call from the bounded scan; nothing is kept or sent anywhere.
/// </summary>
internal static class LexicalSearch
{
    private const double K1 = 1.2;
    private const double B = 0.75;

    public sealed record Passage(string Path, int StartLine, int EndLine, string Text);

    public sealed record Hit(Passage Passage, double Score);

    public static IReadOnlyList<string> Tokenize(string text, int maxTokens = int.MaxValue)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                current.Append(char.ToLowerInvariant(c));
                continue;
            }

            Flush();
            if (tokens.Count >= maxTokens)
            {
                return tokens;
            }
        }

        Flush();
        return tokens.Count > maxTokens ? tokens.Take(maxTokens).ToList() : tokens;

        void Flush()
        {
            if (current.Length >= 2)
            {
                tokens.Add(current.ToString());
            }

            current.Clear();
        }
    }

    /// <summary>Splits a file into passages: paragraphs (blank-line separated), at most <see cref="MemoryLimits.PassageMaxLines"/> lines each.</summary>
    public static IEnumerable<Passage> Passages(string path, string text)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var start = -1;
        var builder = new StringBuilder();
        for (var i = 0; i < lines.Length; i++)
        {
            var blank = string.IsNullOrWhiteSpace(lines[i]);
            if (start >= 0 && (blank || i - start >= MemoryLimits.PassageMaxLines || builder.Length + lines[i].Length > MemoryLimits.PassageMaxChars))
            {
                yield return new Passage(path, start + 1, i, builder.ToString());
                builder.Clear();
                start = -1;
            }

            if (blank)
            {
                continue;
            }

            if (start < 0)
            {
                start = i;
            }
            else
            {
                builder.Append('\n');
            }

            builder.Append(lines[i].Length > MemoryLimits.PassageMaxChars ? lines[i][..MemoryLimits.PassageMaxChars] : lines[i]);
        }

        if (start >= 0)
        {
            yield return new Passage(path, start + 1, lines.Length, builder.ToString());
        }
    }

    public static IReadOnlyList<Hit> Search(IEnumerable<Passage> passages, IReadOnlyCollection<string> terms, int maxResults, double minScore)
    {
        var documents = passages.Select(passage => (Passage: passage, Tokens: Tokenize(passage.Text))).ToList();
        if (documents.Count == 0 || terms.Count == 0)
        {
            return [];
        }

        var averageLength = documents.Average(document => (double)document.Tokens.Count);
        var documentFrequency = terms.ToDictionary(term => term, term => documents.Count(document => document.Tokens.Contains(term)), StringComparer.Ordinal);
        var hits = new List<Hit>();
        foreach (var (passage, tokens) in documents)
        {
            var score = 0.0;
            foreach (var term in terms)
            {
                var frequency = tokens.Count(token => token == term);
                if (frequency == 0)
                {
                    continue;
                }

                var df = documentFrequency[term];
                var idf = Math.Log(1 + (documents.Count - df + 0.5) / (df + 0.5));
                score += idf * frequency * (K1 + 1) / (frequency + K1 * (1 - B + B * tokens.Count / Math.Max(1, averageLength)));
            }

            var normalized = score / (score + 1);
            if (score > 0 && normalized >= minScore)
            {
                hits.Add(new Hit(passage, Math.Round(normalized, 4)));
            }
        }

        return hits
            .OrderByDescending(hit => hit.Score)
            .ThenBy(hit => hit.Passage.Path, StringComparer.Ordinal)
            .ThenBy(hit => hit.Passage.StartLine)
            .Take(maxResults)
            .ToList();
    }

    public static string Format(double score) => score.ToString("0.####", CultureInfo.InvariantCulture);
}
