using OpenClaw.Grains.Gateway;

namespace OpenClaw.Grains.Agent.Memory;

/// <summary>
/// <c>memory_search {query, maxResults?, minScore?}</c>: a lexical (BM25) search over the tenant's
/// memory files, within a bounded scan (<see cref="MemoryLimits"/>); results carry the path, the
/// line range (for <c>memory_get</c>), a score in 0..1 and a snippet. No embeddings: nothing
/// leaves the silo.
/// </summary>
internal sealed class MemorySearchTool : IAgentTool
{
    public string Name => "memory_search";

    public string Description =>
        "Search MEMORY.md, USER.md and memory/**/*.md for prior notes, decisions and preferences; returns snippets with path and lines.";

    public string ParametersJson => $$$"""
        {"type":"object","properties":{
        "query":{"type":"string","description":"Words to look for."},
        "maxResults":{"type":"integer","minimum":1,"maximum":{{{MemoryLimits.SearchMaxResults}}},"description":"Results to return (default {{{MemoryLimits.SearchDefaultResults}}})."},
        "minScore":{"type":"number","minimum":0,"maximum":1,"description":"Lowest score (0..1) a result may have."}},
        "required":["query"],"additionalProperties":false}
        """;

    public async Task<ToolResult> ExecuteAsync(AgentToolCall call, ToolRunContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(context);
        string query;
        int maxResults;
        double minScore;
        try
        {
            var arguments = new GatewayParams(call.Arguments);
            query = arguments.RequiredString("query", MemoryLimits.SearchMaxQueryChars);
            maxResults = (int)(arguments.OptionalInteger("maxResults", 1, MemoryLimits.SearchMaxResults) ?? MemoryLimits.SearchDefaultResults);
            minScore = MinScore(arguments.OptionalElement("minScore"));
        }
        catch (GatewayParamsException ex)
        {
            throw new AgentToolException($"invalid memory_search arguments: {ex.Message}");
        }

        var terms = LexicalSearch.Tokenize(query).Distinct(StringComparer.Ordinal).Take(MemoryLimits.SearchMaxTerms).ToList();
        if (terms.Count == 0)
        {
            throw new AgentToolException("invalid memory_search arguments: 'query' has no words to search for");
        }

        var scan = await MemoryFiles.ReadAllAsync(context.Workspace, cancellationToken);
        var passages = scan.Files.SelectMany(file => LexicalSearch.Passages(file.Path, file.Text));
        var hits = LexicalSearch.Search(passages, terms, maxResults, minScore);
        var payload = JsonPayload.Object(writer =>
        {
            writer.WriteStartArray("results");
            foreach (var hit in hits)
            {
                var snippet = hit.Passage.Text.Length > MemoryLimits.SnippetMaxChars
                    ? hit.Passage.Text[..MemoryLimits.SnippetMaxChars] + "…"
                    : hit.Passage.Text;
                writer.WriteStartObject();
                writer.WriteString("path", hit.Passage.Path);
                writer.WriteNumber("startLine", hit.Passage.StartLine);
                writer.WriteNumber("endLine", hit.Passage.EndLine);
                writer.WriteNumber("score", hit.Score);
                writer.WriteString("snippet", snippet);
                writer.WriteString("source", "memory");
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteString("provider", "lexical");
            writer.WriteString("mode", "bm25");
            writer.WriteNumber("filesScanned", scan.Files.Count);
            writer.WriteBoolean("scanTruncated", scan.Incomplete);
        });
        return ToolResult.Ok(payload, payload, $"{hits.Count} result{(hits.Count == 1 ? "" : "s")} in {scan.Files.Count} file{(scan.Files.Count == 1 ? "" : "s")}");
    }

    private static double MinScore(System.Text.Json.JsonElement? element)
    {
        if (element is not { } value)
        {
            return 0;
        }

        if (value.ValueKind != System.Text.Json.JsonValueKind.Number || !value.TryGetDouble(out var score) || score is < 0 or > 1 || double.IsNaN(score))
        {
            throw new GatewayParamsException("'minScore' must be a number between 0 and 1");
        }

        return score;
    }
}
