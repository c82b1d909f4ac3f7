namespace OpenClaw.Grains.Tests.Agent;

/// <summary><c>apply_patch</c>: the format's operations, all-or-nothing, and escapes through it.</summary>
public sealed class ApplyPatchToolTests : IDisposable
{
    private readonly AgentToolFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    private Task<string> ReadAsync(string path) =>
        _fixture.CallAsync("read", new { path }).ContinueWith(t => t.Result.Text, TaskScheduler.Default);

    [Fact]
    public async Task Adds_updates_moves_and_deletes_in_one_patch()
    {
        await _fixture.CallAsync("write", new { path = "src/app.txt", content = "one\ntwo\nthree\nfour\n" });
        await _fixture.CallAsync("write", new { path = "old.txt", content = "old\n" });
        await _fixture.CallAsync("write", new { path = "gone.txt", content = "bye\n" });

        var result = await _fixture.CallAsync("apply_patch", new
        {
            input = """
                *** Begin Patch
                *** Add File: docs/new.md
                +# New
                +hello
                *** Update File: src/app.txt
                @@ one
                 two
                -three
                +THREE
                 four
                *** End of File
                *** Update File: old.txt
                *** Move to: archive/old.txt
                @@
                -old
                +old, moved
                *** Delete File: gone.txt
                *** End Patch
                """,
        });

        Assert.False(result.IsError);
        Assert.Equal("Success. Updated the following files:\nA docs/new.md\nM src/app.txt\nM archive/old.txt\nD gone.txt", result.Text);
        Assert.Equal("# New\nhello\n", await ReadAsync("docs/new.md"));
        Assert.Equal("one\ntwo\nTHREE\nfour\n", await ReadAsync("src/app.txt"));
        Assert.Equal("old, moved\n", await ReadAsync("archive/old.txt"));
        Assert.Equal("NOT_FOUND", (await _fixture.RefusedAsync("read", new { path = "old.txt" })).Code);
        Assert.Equal("NOT_FOUND", (await _fixture.RefusedAsync("read", new { path = "gone.txt" })).Code);
        var files = AgentToolFixture.Details(result).GetProperty("files");
        Assert.Equal("move", files[2].GetProperty("op").GetString());
        Assert.Equal("archive/old.txt", files[2].GetProperty("movePath").GetString());
    }

    [Fact]
    public async Task Deleting_a_template_file_hides_it_for_this_tenant_only()
    {
        _fixture.Template("BOOTSTRAP.md", "ritual\n");

        await _fixture.CallAsync("apply_patch", new { input = "*** Begin Patch\n*** Delete File: BOOTSTRAP.md\n*** End Patch" });

        Assert.Equal("NOT_FOUND", (await _fixture.RefusedAsync("read", new { path = "BOOTSTRAP.md" })).Code);
        Assert.DoesNotContain("BOOTSTRAP", (await _fixture.CallAsync("ls", new { })).Text);
        Assert.Equal("ritual\n", (await _fixture.CallAsync("read", new { path = "BOOTSTRAP.md" }, tenantId: "bob")).Text);
        Assert.True(File.Exists(Path.Join(_fixture.TemplateRoot, "BOOTSTRAP.md")));

        await _fixture.CallAsync("write", new { path = "BOOTSTRAP.md", content = "mine\n" });
        Assert.Equal("mine\n", await ReadAsync("BOOTSTRAP.md"));
    }

    [Fact]
    public async Task A_partially_invalid_patch_writes_nothing()
    {
        await _fixture.CallAsync("write", new { path = "a.txt", content = "alpha\n" });
        var before = AgentToolFixture.FilesUnder(_fixture.OverlayOf("alice"));

        var refusal = await _fixture.RefusedAsync("apply_patch", new
        {
            input = "*** Begin Patch\n*** Add File: b.txt\n+new\n*** Update File: a.txt\n@@\n-alpha\n+ALPHA\n*** Update File: a-missing.txt\n@@\n-x\n+y\n*** End Patch",
        });

        Assert.Equal("NOT_FOUND", refusal.Code);
        Assert.Equal(before, AgentToolFixture.FilesUnder(_fixture.OverlayOf("alice")));
        Assert.Equal("alpha\n", await ReadAsync("a.txt"));

        var context = await _fixture.RefusedAsync("apply_patch", new
        {
            input = "*** Begin Patch\n*** Add File: c.txt\n+c\n*** Update File: a.txt\n@@\n-not there\n+x\n*** End Patch",
        });
        Assert.Equal("PATCH_CONTEXT_NOT_FOUND", context.Code);
        Assert.Equal(before, AgentToolFixture.FilesUnder(_fixture.OverlayOf("alice")));
    }

    [Theory]
    [InlineData("*** Begin Patch\n*** Update File: a.txt\n*** Move to: ../escaped.txt\n@@\n-alpha\n+x\n*** End Patch")]
    [InlineData("*** Begin Patch\n*** Update File: a.txt\n*** Move to: /tmp/escaped.txt\n@@\n-alpha\n+x\n*** End Patch")]
    [InlineData("*** Begin Patch\n*** Add File: ok.txt\n+fine\n*** Add File: notes/../../escaped.txt\n+x\n*** End Patch")]
    [InlineData("*** Begin Patch\n*** Delete File: ../alice/a.txt\n*** End Patch")]
    public async Task A_patch_that_escapes_is_refused_before_anything_is_written(string input)
    {
        await _fixture.CallAsync("write", new { path = "a.txt", content = "alpha\n" });

        Assert.Equal("PATH_REJECTED", (await _fixture.RefusedAsync("apply_patch", new { input })).Code);

        Assert.Equal(["a.txt"], AgentToolFixture.FilesUnder(_fixture.OverlayOf("alice")));
        Assert.Equal(["alice"], Directory.EnumerateFileSystemEntries(_fixture.WorkspaceRoot).Select(entry => Path.GetFileName(entry)!).ToArray());
        Assert.Equal("alpha\n", await ReadAsync("a.txt"));
    }

    [Theory]
    [InlineData("no header", "must start with")]
    [InlineData("*** Begin Patch\n*** Add File: x.txt\n+x", "must end with")]
    [InlineData("*** Begin Patch\n*** Frobnicate: x\n*** End Patch", "expected")]
    [InlineData("*** Begin Patch\n*** End Patch", "no file operations")]
    [InlineData("*** Begin Patch\n*** Add File: x.txt\nno plus\n*** End Patch", "must start with '+'")]
    [InlineData("*** Begin Patch\n*** Add File: x.txt\n+1\n*** Add File: x.txt\n+2\n*** End Patch", "more than once")]
    public async Task Malformed_patches_are_refused_with_the_problem(string input, string expected)
    {
        var refusal = await _fixture.RefusedAsync("apply_patch", new { input });

        Assert.Contains(expected, refusal.Message);
        Assert.Empty(AgentToolFixture.FilesUnder(_fixture.OverlayOf("alice")));
    }

    [Fact]
    public async Task Oversized_patches_and_existing_targets_are_refused()
    {
        var huge = "*** Begin Patch\n*** Add File: x.txt\n" + string.Concat(Enumerable.Repeat("+" + new string('x', 1000) + "\n", 2200)) + "*** End Patch";
        Assert.Equal("PATCH_TOO_LARGE", (await _fixture.RefusedAsync("apply_patch", new { input = huge })).Code);

        await _fixture.CallAsync("write", new { path = "a.txt", content = "a\n" });
        await _fixture.CallAsync("write", new { path = "b.txt", content = "b\n" });
        Assert.Contains("already exists", (await _fixture.RefusedAsync("apply_patch", new { input = "*** Begin Patch\n*** Add File: a.txt\n+x\n*** End Patch" })).Message);
        Assert.Contains("already exists", (await _fixture.RefusedAsync("apply_patch", new { input = "*** Begin Patch\n*** Update File: a.txt\n*** Move to: b.txt\n*** End Patch" })).Message);
        Assert.Equal("b\n", await ReadAsync("b.txt"));
    }

    [Fact]
    public async Task A_hunk_that_is_costly_to_locate_is_refused()
    {
        await _fixture.Context().Workspace!.WriteTextAsync("same.txt", string.Concat(Enumerable.Repeat("a\n", 30_000)), default);
        var hunk = string.Concat(Enumerable.Repeat("-a\n", 1000)) + "-b\n+c\n";

        var refusal = await _fixture.RefusedAsync("apply_patch", new { input = $"*** Begin Patch\n*** Update File: same.txt\n@@\n{hunk}*** End Patch" });

        Assert.Equal("PATCH_TOO_LARGE", refusal.Code);
    }
}
