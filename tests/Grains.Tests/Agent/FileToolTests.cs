using System.Text.Json;

namespace OpenClaw.Grains.Tests.Agent;

/// <summary>The workspace file tools' happy paths and result shapes (reference-agent-shapes.json).</summary>
public sealed class FileToolTests : IDisposable
{
    private readonly AgentToolFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task Write_then_read_give_the_reference_shapes()
    {
        await _fixture.CallAsync("write", new { path = "notes/probe.txt", content = "probe nb3580e1b\n" });

        var write = await _fixture.CallAsync("write", new { path = "notes/probe.txt", content = "probe m4b14ed94\n" });

        Assert.False(write.IsError);
        Assert.Equal("Successfully wrote 16 bytes to notes/probe.txt", write.Text);
        Assert.Equal("to notes/probe.txt (16 chars)", write.Meta);
        var details = AgentToolFixture.Details(write);
        Assert.True(details.GetProperty("changed").GetBoolean());
        Assert.False(details.GetProperty("created").GetBoolean());
        Assert.Equal("-1 probe nb3580e1b\n+1 probe m4b14ed94", details.GetProperty("diff").GetString());
        Assert.Equal("--- notes/probe.txt\n+++ notes/probe.txt\n@@ -1,1 +1,1 @@\n-probe nb3580e1b\n+probe m4b14ed94\n", details.GetProperty("patch").GetString());
        Assert.Equal(1, details.GetProperty("firstChangedLine").GetInt32());

        var read = await _fixture.CallAsync("read", new { path = "notes/probe.txt" });
        Assert.Equal("probe m4b14ed94\n", read.Text);
        Assert.Equal("from notes/probe.txt", read.Meta);
        var readDetails = AgentToolFixture.Details(read);
        Assert.Equal("text", readDetails.GetProperty("kind").GetString());
        Assert.Equal("probe m4b14ed94\n", readDetails.GetProperty("content").GetString());
    }

    [Fact]
    public async Task Write_reports_created_and_unchanged()
    {
        var created = await _fixture.CallAsync("write", new { path = "a.md", content = "one\ntwo\n" });
        Assert.True(AgentToolFixture.Details(created).GetProperty("created").GetBoolean());

        var same = await _fixture.CallAsync("write", new { path = "a.md", content = "one\ntwo\n" });
        Assert.Equal("""{"changed":false}""", same.DetailsJson);
        Assert.Equal("one\ntwo\n", File.ReadAllText(Path.Join(_fixture.OverlayOf("alice"), "a.md")));
    }

    [Fact]
    public async Task Read_falls_through_to_the_template_and_write_goes_to_the_overlay()
    {
        _fixture.Template("SOUL.md", "template soul\n");

        Assert.Equal("template soul\n", (await _fixture.CallAsync("read", new { path = "SOUL.md" })).Text);
        await _fixture.CallAsync("write", new { path = "SOUL.md", content = "alice soul\n" });

        Assert.Equal("alice soul\n", (await _fixture.CallAsync("read", new { path = "SOUL.md" })).Text);
        Assert.Equal("template soul\n", File.ReadAllText(Path.Join(_fixture.TemplateRoot, "SOUL.md")));
        Assert.Equal("template soul\n", (await _fixture.CallAsync("read", new { path = "SOUL.md" }, tenantId: "bob")).Text);
    }

    [Fact]
    public async Task Read_pages_by_offset_and_limit_and_says_where_to_continue()
    {
        var text = string.Concat(Enumerable.Range(1, 10).Select(i => $"line {i}\n"));
        await _fixture.CallAsync("write", new { path = "ten.txt", content = text });

        var page = await _fixture.CallAsync("read", new { path = "ten.txt", offset = 3, limit = 2 });

        Assert.Equal("line 3\nline 4\n\n[6 more lines in file. Use offset=5 to continue.]", page.Text);
        var details = AgentToolFixture.Details(page);
        Assert.Equal("truncated", details.GetProperty("kind").GetString());
        Assert.Equal(5, details.GetProperty("nextOffset").GetInt32());
        Assert.Equal("line 10\n", (await _fixture.CallAsync("read", new { path = "ten.txt", offset = 10 })).Text);
        Assert.Contains("beyond the end", (await _fixture.RefusedAsync("read", new { path = "ten.txt", offset = 11 })).Message);
    }

    [Fact]
    public async Task Read_truncates_at_2000_lines_and_at_51200_bytes()
    {
        var manyLines = string.Concat(Enumerable.Range(1, 2500).Select(i => $"{i}\n"));
        await _fixture.CallAsync("write", new { path = "many.txt", content = manyLines });
        var lines = await _fixture.CallAsync("read", new { path = "many.txt" });
        Assert.EndsWith("[Showing lines 1-2000 of 2500. Use offset=2001 to continue.]", lines.Text);

        var wide = string.Concat(Enumerable.Range(0, 60).Select(_ => new string('x', 1023) + "\n"));
        await _fixture.CallAsync("write", new { path = "wide.txt", content = wide });
        var bytes = await _fixture.CallAsync("read", new { path = "wide.txt" });
        Assert.EndsWith("[Showing lines 1-50 of 60. Use offset=51 to continue.]", bytes.Text);

        await _fixture.CallAsync("write", new { path = "one-line.txt", content = new string('y', 60_000) });
        var longLine = await _fixture.CallAsync("read", new { path = "one-line.txt" });
        Assert.Contains("Use offset=1 cursor=51200 to continue.", longLine.Text);
        var rest = await _fixture.CallAsync("read", new { path = "one-line.txt", cursor = 51200 });
        Assert.Equal(new string('y', 8800), rest.Text);
    }

    [Fact]
    public async Task Read_of_a_missing_file_fails_unless_optional()
    {
        var missing = await _fixture.RefusedAsync("read", new { path = "nope.md" });
        Assert.Equal("File not found: nope.md", missing.Message);

        var optional = await _fixture.CallAsync("read", new { path = "nope.md", optional = true });
        Assert.False(optional.IsError);
        Assert.Equal("not_found", AgentToolFixture.Details(optional).GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Edit_replaces_exact_unique_non_overlapping_text()
    {
        await _fixture.CallAsync("write", new { path = "e.md", content = "alpha\nbeta\ngamma\n" });

        var result = await _fixture.CallAsync("edit", new { path = "e.md", edits = new[] { new { oldText = "alpha", newText = "ALPHA" }, new { oldText = "gamma", newText = "GAMMA" } } });

        Assert.Equal("Successfully replaced 2 block(s) in e.md.", result.Text);
        Assert.Equal("ALPHA\nbeta\nGAMMA\n", (await _fixture.CallAsync("read", new { path = "e.md" })).Text);
        var details = AgentToolFixture.Details(result);
        Assert.Equal(1, details.GetProperty("firstChangedLine").GetInt32());
        Assert.Equal("-1 alpha\n+1 ALPHA\n-3 gamma\n+3 GAMMA", details.GetProperty("diff").GetString());
    }

    [Fact]
    public async Task Edit_refuses_missing_duplicate_and_overlapping_text_and_changes_nothing()
    {
        await _fixture.CallAsync("write", new { path = "e.md", content = "one two one\n" });

        Assert.Equal("EDIT_NOT_FOUND", (await _fixture.RefusedAsync("edit", new { path = "e.md", edits = new[] { new { oldText = "three", newText = "3" } } })).Code);
        Assert.Equal("EDIT_NOT_UNIQUE", (await _fixture.RefusedAsync("edit", new { path = "e.md", edits = new[] { new { oldText = "one", newText = "1" } } })).Code);
        Assert.Equal("EDIT_OVERLAP", (await _fixture.RefusedAsync("edit", new { path = "e.md", edits = new[] { new { oldText = "one two", newText = "x" }, new { oldText = "two one", newText = "y" } } })).Code);
        Assert.Equal("EDIT_NOT_FOUND", (await _fixture.RefusedAsync("edit", new { path = "e.md", edits = new[] { new { oldText = "two", newText = "2" }, new { oldText = "zzz", newText = "3" } } })).Code);
        var tooMany = Enumerable.Range(0, 101).Select(i => new { oldText = $"x{i}", newText = "y" }).ToArray();
        Assert.Contains("at most 100", (await _fixture.RefusedAsync("edit", new { path = "e.md", edits = tooMany })).Message);

        Assert.Equal("one two one\n", (await _fixture.CallAsync("read", new { path = "e.md" })).Text);
    }

    [Fact]
    public async Task Ls_lists_overlay_and_template_with_directories_marked_and_pages_with_after()
    {
        _fixture.Template("AGENTS.md", "a");
        _fixture.Template("memory/2026-01-01.md", "m");
        await _fixture.CallAsync("write", new { path = "notes/today.md", content = "n" });
        await _fixture.CallAsync("write", new { path = ".hidden", content = "h" });

        var all = await _fixture.CallAsync("ls", new { });
        Assert.Equal("\".hidden\"\n\"AGENTS.md\"\n\"memory\"/\n\"notes\"/", all.Text);

        var first = await _fixture.CallAsync("ls", new { limit = 2 });
        Assert.Equal("\".hidden\"\n\"AGENTS.md\"\n[2 more entries. Continue with after=\"AGENTS.md\".]", first.Text);
        Assert.Equal("AGENTS.md", AgentToolFixture.Details(first).GetProperty("after").GetString());
        var second = await _fixture.CallAsync("ls", new { limit = 2, after = "AGENTS.md" });
        Assert.Equal("\"memory\"/\n\"notes\"/", second.Text);

        Assert.Equal("\"today.md\"", (await _fixture.CallAsync("ls", new { path = "notes" })).Text);
        Assert.Equal("Directory not found: nowhere", (await _fixture.RefusedAsync("ls", new { path = "nowhere" })).Message);
        Assert.StartsWith("Not a directory", (await _fixture.RefusedAsync("ls", new { path = "AGENTS.md" })).Message);
    }

    [Fact]
    public void The_tool_schemas_match_the_reference()
    {
        using var reference = JsonDocument.Parse(File.ReadAllText(ReferencePath("reference-agent-tools.json")));
        var tools = _fixture.Context().Tools;
        foreach (var name in new[] { "read", "write", "edit", "ls", "apply_patch" })
        {
            var expected = reference.RootElement.EnumerateArray().Single(t => t.GetProperty("function").GetProperty("name").GetString() == name)
                .GetProperty("function").GetProperty("parameters");
            using var actual = JsonDocument.Parse(tools.Single(t => t.Name == name).ParametersJson);
            Assert.Equal(Shape(expected), Shape(actual.RootElement));
        }
    }

    /// <summary>The schema without descriptions (ours say "relative to the workspace" where the reference allows absolute paths).</summary>
    private static string Shape(JsonElement schema) => schema.ValueKind switch
    {
        JsonValueKind.Object => "{" + string.Join(",", schema.EnumerateObject().Where(p => p.Name != "description").OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => p.Name + ":" + Shape(p.Value))) + "}",
        JsonValueKind.Array => "[" + string.Join(",", schema.EnumerateArray().Select(Shape)) + "]",
        _ => schema.GetRawText(),
    };

    /// <summary>Found like the reference transcript: OPENCLAW_PROTOCOL_DIR, else shared/protocol above the test binaries.</summary>
    private static string ReferencePath(string name)
    {
        if (Environment.GetEnvironmentVariable("OPENCLAW_PROTOCOL_DIR") is { Length: > 0 } configured)
        {
            return Path.Combine(configured, name);
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", "protocol", name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"shared/protocol/{name} was not found; set OPENCLAW_PROTOCOL_DIR.");
    }
}
