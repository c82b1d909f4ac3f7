using OpenClaw.Grains.Workspace;

namespace OpenClaw.Grains.Tests.Agent;

/// <summary>A hostile model (or tenant) against the workspace tools: every escape is refused clearly and nothing is written.</summary>
public sealed class FileToolAttackTests : IDisposable
{
    private readonly AgentToolFixture _fixture = new(options =>
    {
        options.MaxFileBytes = 4096;
        options.MaxWorkspaceBytes = 10_000;
        options.MaxWorkspaceFiles = 20;
    });

    public FileToolAttackTests()
    {
        Directory.CreateDirectory(_fixture.Outside);
        File.WriteAllText(Path.Join(_fixture.Outside, "secret.txt"), "host secret");
    }

    public void Dispose() => _fixture.Dispose();

    public static TheoryData<string> EscapingPaths() =>
    [
        "../outside/secret.txt",
        "notes/../../outside/secret.txt",
        "..\\outside\\secret.txt",
        "/etc/passwd",
        "\\etc\\passwd",
        "C:\\Windows\\win.ini",
        "//server/share/x",
        "a\0b.txt",
        "notes/\0",
        "a\nb.txt",
        ".~wh-SOUL.md",
        ".~mark-setup-completed",
    ];

    [Theory]
    [MemberData(nameof(EscapingPaths))]
    public async Task Every_tool_refuses_paths_that_leave_the_workspace(string path)
    {
        foreach (var (tool, args) in new (string, object)[]
        {
            ("read", new { path }),
            ("write", new { path, content = "x" }),
            ("edit", new { path, edits = new[] { new { oldText = "a", newText = "b" } } }),
            ("ls", new { path }),
            ("apply_patch", new { input = $"*** Begin Patch\n*** Add File: {path}\n+x\n*** End Patch" }),
        })
        {
            var refusal = await _fixture.RefusedAsync(tool, args);
            // A line break inside a patch's path line breaks the patch itself.
            Assert.Equal(tool == "apply_patch" && path.Contains('\n') ? "INVALID_PATCH" : "PATH_REJECTED", refusal.Code);
            Assert.DoesNotContain(_fixture.WorkspaceRoot, refusal.Message, StringComparison.Ordinal);
        }

        Assert.Equal("host secret", File.ReadAllText(Path.Join(_fixture.Outside, "secret.txt")));
        Assert.Empty(AgentToolFixture.FilesUnder(_fixture.OverlayOf("alice")));
    }

    [Fact]
    public async Task Percent_encoded_traversal_is_a_literal_name_inside_the_workspace()
    {
        var result = await _fixture.CallAsync("write", new { path = "%2e%2e/%2e%2e/outside/secret.txt", content = "x" });

        Assert.False(result.IsError);
        Assert.True(File.Exists(Path.Join(_fixture.OverlayOf("alice"), "%2e%2e", "%2e%2e", "outside", "secret.txt")));
        Assert.Equal("host secret", File.ReadAllText(Path.Join(_fixture.Outside, "secret.txt")));
    }

    [Fact]
    public async Task A_file_symlink_planted_in_the_overlay_is_neither_read_nor_written_through()
    {
        if (OperatingSystem.IsWindows()) return;
        Directory.CreateDirectory(_fixture.OverlayOf("alice"));
        File.CreateSymbolicLink(Path.Join(_fixture.OverlayOf("alice"), "link.txt"), Path.Join(_fixture.Outside, "secret.txt"));

        Assert.Equal("PATH_REJECTED", (await _fixture.RefusedAsync("read", new { path = "link.txt" })).Code);
        Assert.Equal("PATH_REJECTED", (await _fixture.RefusedAsync("write", new { path = "link.txt", content = "pwned" })).Code);
        Assert.Equal("PATH_REJECTED", (await _fixture.RefusedAsync("edit", new { path = "link.txt", edits = new[] { new { oldText = "host", newText = "pwned" } } })).Code);
        Assert.Equal("PATH_REJECTED", (await _fixture.RefusedAsync("apply_patch", new { input = "*** Begin Patch\n*** Delete File: link.txt\n*** End Patch" })).Code);
        Assert.DoesNotContain("link.txt", (await _fixture.CallAsync("ls", new { })).Text);

        Assert.Equal("host secret", File.ReadAllText(Path.Join(_fixture.Outside, "secret.txt")));
    }

    [Fact]
    public async Task A_directory_symlink_planted_in_the_overlay_is_neither_listed_nor_entered()
    {
        if (OperatingSystem.IsWindows()) return;
        Directory.CreateDirectory(_fixture.OverlayOf("alice"));
        Directory.CreateSymbolicLink(Path.Join(_fixture.OverlayOf("alice"), "docs"), _fixture.Outside);

        Assert.Equal("PATH_REJECTED", (await _fixture.RefusedAsync("read", new { path = "docs/secret.txt" })).Code);
        Assert.Equal("PATH_REJECTED", (await _fixture.RefusedAsync("ls", new { path = "docs" })).Code);
        Assert.Equal("PATH_REJECTED", (await _fixture.RefusedAsync("write", new { path = "docs/new.txt", content = "x" })).Code);
        Assert.Equal("PATH_REJECTED", (await _fixture.RefusedAsync("apply_patch", new { input = "*** Begin Patch\n*** Add File: docs/new.txt\n+x\n*** End Patch" })).Code);
        Assert.Equal("(empty directory)", (await _fixture.CallAsync("ls", new { })).Text);

        Assert.Equal(["secret.txt"], AgentToolFixture.FilesUnder(_fixture.Outside));
    }

    [Fact]
    public async Task A_symlink_to_another_tenant_is_not_followed()
    {
        if (OperatingSystem.IsWindows()) return;
        await _fixture.CallAsync("write", new { path = "private.md", content = "bob's" }, tenantId: "bob");
        Directory.CreateDirectory(_fixture.OverlayOf("alice"));
        Directory.CreateSymbolicLink(Path.Join(_fixture.OverlayOf("alice"), "bob"), _fixture.OverlayOf("bob"));

        Assert.Equal("PATH_REJECTED", (await _fixture.RefusedAsync("read", new { path = "bob/private.md" })).Code);
        Assert.Equal("PATH_REJECTED", (await _fixture.RefusedAsync("read", new { path = "../bob/private.md" })).Code);
    }

    [Fact]
    public async Task Tenant_A_cannot_see_tenant_Bs_files_through_any_tool()
    {
        await _fixture.CallAsync("write", new { path = "diary.md", content = "bob only\n" }, tenantId: "bob");

        Assert.Equal("NOT_FOUND", (await _fixture.RefusedAsync("read", new { path = "diary.md" })).Code);
        Assert.Equal("NOT_FOUND", (await _fixture.RefusedAsync("edit", new { path = "diary.md", edits = new[] { new { oldText = "bob", newText = "x" } } })).Code);
        Assert.Equal("NOT_FOUND", (await _fixture.RefusedAsync("apply_patch", new { input = "*** Begin Patch\n*** Delete File: diary.md\n*** End Patch" })).Code);
        Assert.DoesNotContain("diary", (await _fixture.CallAsync("ls", new { })).Text);
        await _fixture.CallAsync("write", new { path = "diary.md", content = "alice\n" });

        Assert.Equal("bob only\n", (await _fixture.CallAsync("read", new { path = "diary.md" }, tenantId: "bob")).Text);
    }

    [Fact]
    public async Task A_file_larger_than_the_cap_is_refused_on_write_and_read()
    {
        var huge = new string('x', 5000);
        Assert.Equal("FILE_TOO_LARGE", (await _fixture.RefusedAsync("write", new { path = "huge.txt", content = huge })).Code);
        Assert.Equal("FILE_TOO_LARGE", (await _fixture.RefusedAsync("apply_patch", new { input = $"*** Begin Patch\n*** Add File: huge.txt\n+{huge}\n*** End Patch" })).Code);
        Assert.Empty(AgentToolFixture.FilesUnder(_fixture.OverlayOf("alice")));

        _fixture.Template("big.log", huge);
        Assert.Equal("FILE_TOO_LARGE", (await _fixture.RefusedAsync("read", new { path = "big.log" })).Code);
    }

    [Fact]
    public async Task A_write_past_the_workspace_quota_is_refused_and_writes_nothing()
    {
        for (var i = 0; i < 3; i++)
        {
            await _fixture.CallAsync("write", new { path = $"f{i}.txt", content = new string('a', 3000) });
        }

        var refusal = await _fixture.RefusedAsync("write", new { path = "f3.txt", content = new string('b', 3000) });

        Assert.Equal("WORKSPACE_QUOTA_EXCEEDED", refusal.Code);
        Assert.Contains("at most 10000 bytes", refusal.Message);
        Assert.Contains("nothing was written", refusal.Message);
        Assert.Equal(["f0.txt", "f1.txt", "f2.txt"], AgentToolFixture.FilesUnder(_fixture.OverlayOf("alice")));
        Assert.Equal("WORKSPACE_QUOTA_EXCEEDED", (await _fixture.RefusedAsync("apply_patch", new { input = $"*** Begin Patch\n*** Add File: p.txt\n+{new string('c', 2000)}\n*** End Patch" })).Code);
        Assert.Equal(["f0.txt", "f1.txt", "f2.txt"], AgentToolFixture.FilesUnder(_fixture.OverlayOf("alice")));

        // Overwriting within the quota still works, and other tenants have their own.
        await _fixture.CallAsync("write", new { path = "f0.txt", content = "small" });
        await _fixture.CallAsync("write", new { path = "big.txt", content = new string('d', 4000) }, tenantId: "bob");
    }

    [Fact]
    public async Task The_file_count_quota_is_enforced()
    {
        for (var i = 0; i < 20; i++)
        {
            await _fixture.CallAsync("write", new { path = $"n/{i}.txt", content = "x" });
        }

        Assert.Equal("WORKSPACE_QUOTA_EXCEEDED", (await _fixture.RefusedAsync("write", new { path = "n/20.txt", content = "x" })).Code);
        Assert.Equal(20, AgentToolFixture.FilesUnder(_fixture.OverlayOf("alice")).Length);
    }

    [Fact]
    public async Task The_quota_counts_what_the_overlay_already_holds()
    {
        Directory.CreateDirectory(_fixture.OverlayOf("carol"));
        File.WriteAllText(Path.Join(_fixture.OverlayOf("carol"), "old.bin"), new string('z', 9_000));

        Assert.Equal("WORKSPACE_QUOTA_EXCEEDED", (await _fixture.RefusedAsync("write", new { path = "new.txt", content = new string('a', 2000) }, tenantId: "carol")).Code);
        Assert.Equal(new WorkspaceUsage(9_000, 1), _fixture.Context("carol").Workspace!.Usage);
    }

    [Fact]
    public async Task Overlong_paths_are_refused()
    {
        var longName = new string('a', 300);
        Assert.Equal("PATH_REJECTED", (await _fixture.RefusedAsync("write", new { path = longName, content = "x" })).Code);
        var longPath = string.Join('/', Enumerable.Repeat("abcdefghij", 110));
        Assert.Equal("PATH_REJECTED", (await _fixture.RefusedAsync("write", new { path = longPath, content = "x" })).Code);
    }
}
