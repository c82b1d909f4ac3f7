using OpenClaw.Grains.Agent;
using OpenClaw.Grains.Agent.Memory;
using OpenClaw.Grains.Tests.Agent.WebMemorySessions;
using OpenClaw.Grains.Tests.Workspace;
using OpenClaw.Grains.Workspace;

namespace OpenClaw.Grains.Tests.Agent.Memory;

/// <summary><c>memory_get</c> and <c>memory_search</c>: only the memory files of the tenant's own workspace, within bounds.</summary>
public sealed class MemoryToolTests : IDisposable
{
    private readonly TempDirectory _root = new();
    private readonly TenantWorkspace _workspace;
    private readonly Grains.Gateway.GatewayContext _gateway;

    public MemoryToolTests()
    {
        Directory.CreateDirectory(_root.Combine("tenant"));
        Directory.CreateDirectory(_root.Combine("template"));
        _workspace = new TenantWorkspace(_root.Combine("tenant"), _root.Combine("template"));
        _gateway = ToolInvoker.Gateway(_workspace);
    }

    public void Dispose() => _root.Dispose();

    private void Write(string path, string text)
    {
        var full = _root.Combine("tenant", path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    private Task<ToolResult> Get(object arguments) => ToolInvoker.InvokeAsync(new MemoryGetTool(), _gateway, arguments);

    private Task<ToolResult> Search(object arguments) => ToolInvoker.InvokeAsync(new MemorySearchTool(), _gateway, arguments);

    [Fact]
    public async Task Memory_get_returns_a_window_of_lines_and_where_to_continue()
    {
        Write("memory/2026-01-31.md", string.Join('\n', Enumerable.Range(1, 300).Select(i => $"line {i}")));

        var first = ToolInvoker.Details(await Get(new { path = "memory/2026-01-31.md" }));
        var later = ToolInvoker.Details(await Get(new { path = "./memory//2026-01-31.md", from = 295, lines = 10 }));

        Assert.Equal(1, first.GetProperty("from").GetInt32());
        Assert.Equal(120, first.GetProperty("lines").GetInt32());
        Assert.Equal(300, first.GetProperty("totalLines").GetInt32());
        Assert.Equal(121, first.GetProperty("nextFrom").GetInt32());
        Assert.True(first.GetProperty("truncated").GetBoolean());
        Assert.StartsWith("line 1\nline 2\n", first.GetProperty("text").GetString());
        Assert.EndsWith("\nline 120", first.GetProperty("text").GetString());
        Assert.Equal("memory/2026-01-31.md", later.GetProperty("path").GetString());
        Assert.Equal("line 295\nline 296\nline 297\nline 298\nline 299\nline 300", later.GetProperty("text").GetString());
        Assert.False(later.GetProperty("truncated").GetBoolean());
    }

    [Fact]
    public async Task Memory_get_caps_an_excerpt_at_12000_characters()
    {
        Write("MEMORY.md", string.Join('\n', Enumerable.Range(1, 100).Select(_ => new string('m', 999))));
        Write("USER.md", new string('u', 50_000));

        var lines = ToolInvoker.Details(await Get(new { path = "MEMORY.md" }));
        var oneLine = ToolInvoker.Details(await Get(new { path = "USER.md" }));

        Assert.Equal(12, lines.GetProperty("lines").GetInt32());
        Assert.True(lines.GetProperty("text").GetString()!.Length <= 12_000);
        Assert.Equal(13, lines.GetProperty("nextFrom").GetInt32());
        Assert.Equal(12_000, oneLine.GetProperty("text").GetString()!.Length);
        Assert.True(oneLine.GetProperty("truncated").GetBoolean());
    }

    [Fact]
    public async Task Memory_get_of_a_missing_memory_file_is_empty()
    {
        var details = ToolInvoker.Details(await Get(new { path = "memory/none.md" }));

        Assert.True(details.GetProperty("missing").GetBoolean());
        Assert.Equal("", details.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Memory_get_reads_the_templates_memory_when_the_tenant_has_none()
    {
        File.WriteAllText(_root.Combine("template", "MEMORY.md"), "from the template");

        var details = ToolInvoker.Details(await Get(new { path = "MEMORY.md" }));

        Assert.Equal("from the template", details.GetProperty("text").GetString());
    }

    [Theory]
    [InlineData("../secret.md", "'../secret.md' contains '..'; paths may not leave the workspace.")]
    [InlineData("memory/../../outside.md", "'memory/../../outside.md' contains '..'; paths may not leave the workspace.")]
    [InlineData("memory/../AGENTS.md", "'memory/../AGENTS.md' contains '..'; paths may not leave the workspace.")]
    [InlineData("/etc/passwd", "'/etc/passwd' is an absolute path; workspace paths are relative to the workspace.")]
    [InlineData("C:/Windows/win.ini", "'C:/Windows/win.ini' names a drive; workspace paths are relative to the workspace.")]
    [InlineData("AGENTS.md", "'AGENTS.md' is not a memory file: only MEMORY.md, USER.md and memory/**/*.md can be read here")]
    [InlineData("SOUL.md", "'SOUL.md' is not a memory file: only MEMORY.md, USER.md and memory/**/*.md can be read here")]
    [InlineData("memory/notes.txt", "'memory/notes.txt' is not a memory file: only MEMORY.md, USER.md and memory/**/*.md can be read here")]
    [InlineData("notes/memory/a.md", "'notes/memory/a.md' is not a memory file: only MEMORY.md, USER.md and memory/**/*.md can be read here")]
    [InlineData("memory", "'memory' is not a memory file: only MEMORY.md, USER.md and memory/**/*.md can be read here")]
    [InlineData("memory.md", "'memory.md' is not a memory file: only MEMORY.md, USER.md and memory/**/*.md can be read here")]
    public async Task Memory_get_refuses_every_other_path(string path, string expected)
    {
        Write("AGENTS.md", "agents");
        Write("memory/notes.txt", "notes");

        var error = await Assert.ThrowsAsync<AgentToolException>(() => Get(new { path }));

        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public async Task Memory_get_refuses_a_memory_file_that_links_out_of_the_workspace()
    {
        File.WriteAllText(_root.Combine("secret.md"), "outside secret");
        Directory.CreateDirectory(_root.Combine("tenant", "memory"));
        File.CreateSymbolicLink(_root.Combine("tenant", "memory", "link.md"), _root.Combine("secret.md"));

        var error = await Assert.ThrowsAsync<AgentToolException>(() => Get(new { path = "memory/link.md" }));
        var search = ToolInvoker.Details(await Search(new { query = "outside secret" }));

        Assert.Equal("'memory/link.md' leads outside the tenant's workspace through a symbolic link.", error.Message);
        Assert.Equal(0, search.GetProperty("results").GetArrayLength());
    }

    [Fact]
    public async Task Memory_search_finds_passages_with_path_lines_and_scores_best_first()
    {
        Write("MEMORY.md", "# Preferences\n\nThe user prefers green tea in the morning.\n\nUnrelated line about cars.");
        Write("memory/2026-01-30.md", "Meeting notes.\n\nDecided: deploy on Friday.\nTea was served.\n");
        Write("memory/projects/alpha.md", "Alpha project uses green buttons.\n");
        Write("AGENTS.md", "green tea green tea green tea"); // not memory: never searched
        Write("notes/other.md", "green tea");

        var details = ToolInvoker.Details(await Search(new { query = "green tea" }));

        var results = details.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(3, results.Count);
        Assert.Equal("MEMORY.md", results[0].GetProperty("path").GetString());
        Assert.Equal(3, results[0].GetProperty("startLine").GetInt32());
        Assert.Equal(3, results[0].GetProperty("endLine").GetInt32());
        Assert.Equal("The user prefers green tea in the morning.", results[0].GetProperty("snippet").GetString());
        Assert.Equal(["MEMORY.md", "memory/2026-01-30.md", "memory/projects/alpha.md"], results.Select(r => r.GetProperty("path").GetString()).Order(StringComparer.Ordinal));
        Assert.True(results[0].GetProperty("score").GetDouble() > results[1].GetProperty("score").GetDouble());
        Assert.All(results, r => Assert.InRange(r.GetProperty("score").GetDouble(), 0.0001, 1));
        Assert.Equal(3, details.GetProperty("filesScanned").GetInt32());
        Assert.False(details.GetProperty("scanTruncated").GetBoolean());
    }

    [Fact]
    public async Task Memory_search_honours_maxResults_and_minScore()
    {
        for (var i = 0; i < 10; i++)
        {
            Write($"memory/day{i}.md", $"kiwi {string.Join(' ', Enumerable.Repeat("kiwi", i))} filler words here");
        }

        var two = ToolInvoker.Details(await Search(new { query = "kiwi", maxResults = 2 }));
        var none = ToolInvoker.Details(await Search(new { query = "kiwi", minScore = 0.99 }));
        var refused = await Assert.ThrowsAsync<AgentToolException>(() => Search(new { query = "kiwi", maxResults = 500 }));

        Assert.Equal(2, two.GetProperty("results").GetArrayLength());
        Assert.Equal("memory/day9.md", two.GetProperty("results")[0].GetProperty("path").GetString());
        Assert.Equal(0, none.GetProperty("results").GetArrayLength());
        Assert.Equal("invalid memory_search arguments: 'maxResults' must be <= 20", refused.Message);
    }

    [Fact]
    public async Task Memory_search_reads_a_bounded_number_of_files_and_says_when_it_stopped()
    {
        for (var i = 0; i < MemoryLimits.SearchMaxFiles + 25; i++)
        {
            Write($"memory/many/{i:D4}.md", "needle");
        }

        var details = ToolInvoker.Details(await Search(new { query = "needle", maxResults = 20 }));

        Assert.Equal(MemoryLimits.SearchMaxFiles, details.GetProperty("filesScanned").GetInt32());
        Assert.True(details.GetProperty("scanTruncated").GetBoolean());
        Assert.Equal(20, details.GetProperty("results").GetArrayLength());
    }

    [Fact]
    public async Task Memory_search_stops_at_its_byte_budget()
    {
        var big = string.Join('\n', Enumerable.Repeat(new string('b', 99) + " needle", 9_000)); // ~900 KB each, under the file cap
        for (var i = 0; i < 6; i++)
        {
            Write($"memory/big{i}.md", big);
        }

        var details = ToolInvoker.Details(await Search(new { query = "needle" }));

        Assert.True(details.GetProperty("filesScanned").GetInt32() < 6);
        Assert.True(details.GetProperty("scanTruncated").GetBoolean());
    }

    [Theory]
    [InlineData("")]
    [InlineData("!! ?? ..")]
    public async Task Memory_search_needs_words(string query)
    {
        var error = await Assert.ThrowsAsync<AgentToolException>(() => Search(new { query }));

        Assert.StartsWith("invalid memory_search arguments: ", error.Message);
    }

    [Fact]
    public async Task Memory_search_sees_only_its_own_tenants_workspace()
    {
        using var other = new TempDirectory();
        File.WriteAllText(other.Combine("MEMORY.md"), "the other tenant's zebra secret");
        Write("MEMORY.md", "my own notes");

        var details = ToolInvoker.Details(await Search(new { query = "zebra" }));

        Assert.Equal(0, details.GetProperty("results").GetArrayLength());
    }
}
