using Microsoft.Extensions.Options;
using OpenClaw.Grains.Workspace;
using OpenClaw.Runtime;

namespace OpenClaw.Grains.Tests.Workspace;

public sealed class TenantWorkspaceTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _template;
    private readonly string _root;
    private readonly TenantWorkspaceFactory _factory;

    public TenantWorkspaceTests()
    {
        _template = _temp.Combine("template");
        _root = _temp.Combine("workspaces");
        Directory.CreateDirectory(Path.Join(_template, "agent"));
        File.WriteAllText(Path.Join(_template, "agent", "IDENTITY.md"), "# Template identity");
        File.WriteAllText(Path.Join(_template, "agent", "SOUL.md"), "template soul");
        File.WriteAllText(Path.Join(_template, "README.md"), "readme");
        _factory = new TenantWorkspaceFactory(Options.Create(new WorkspaceOptions
        {
            WorkspaceRoot = _root,
            TemplatePath = _template,
            MaxFileBytes = 1024,
        }));
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Reads_fall_through_to_the_template()
    {
        var workspace = _factory.ForTenant("alice");

        Assert.Equal("# Template identity", await workspace.ReadTextAsync("agent/IDENTITY.md", default));
        Assert.True(workspace.Exists("agent/IDENTITY.md"));
        Assert.True(workspace.Exists("agent"));
        Assert.Null(await workspace.ReadTextAsync("agent/MISSING.md", default));
        Assert.False(workspace.Exists("agent/MISSING.md"));
    }

    [Fact]
    public async Task Overlay_files_and_directories_are_private_to_the_owner()
    {
        if (OperatingSystem.IsWindows()) return;
        var workspace = _factory.ForTenant("alice");

        await workspace.WriteTextAsync("notes/deep/today.md", "private", default);

        Assert.Equal(OwnerOnlyPaths.FileMode, File.GetUnixFileMode(Path.Join(_root, "alice", "notes", "deep", "today.md")));
        foreach (var directory in new[] { _root, Path.Join(_root, "alice"), Path.Join(_root, "alice", "notes"), Path.Join(_root, "alice", "notes", "deep") })
        {
            Assert.Equal(OwnerOnlyPaths.DirectoryMode, File.GetUnixFileMode(directory));
        }
    }

    [Fact]
    public async Task The_overlay_wins_and_writes_never_touch_the_template()
    {
        var workspace = _factory.ForTenant("alice");

        await workspace.WriteTextAsync("agent/IDENTITY.md", "# Alice", default);

        Assert.Equal("# Alice", await workspace.ReadTextAsync("agent/IDENTITY.md", default));
        Assert.Equal("# Template identity", File.ReadAllText(Path.Join(_template, "agent", "IDENTITY.md")));
        Assert.Equal("# Alice", File.ReadAllText(Path.Join(_root, "alice", "agent", "IDENTITY.md")));
    }

    [Fact]
    public async Task Delete_removes_only_the_overlay_copy()
    {
        var workspace = _factory.ForTenant("alice");
        await workspace.WriteTextAsync("agent/IDENTITY.md", "# Alice", default);

        Assert.True(await workspace.DeleteAsync("agent/IDENTITY.md", default));
        Assert.False(await workspace.DeleteAsync("agent/IDENTITY.md", default));
        Assert.False(await workspace.DeleteAsync("README.md", default));

        Assert.Equal("# Template identity", await workspace.ReadTextAsync("agent/IDENTITY.md", default));
        Assert.True(File.Exists(Path.Join(_template, "README.md")));
    }

    [Fact]
    public async Task Writes_create_directories_and_list_merges_overlay_and_template()
    {
        var workspace = _factory.ForTenant("alice");
        await workspace.WriteTextAsync("agent/NOTES.md", "notes", default);
        await workspace.WriteTextAsync("agent/SOUL.md", "alice soul", default);
        await workspace.WriteTextAsync("sessions/main/transcript.jsonl", "{}", default);

        Assert.Equal(["agent/IDENTITY.md", "agent/NOTES.md", "agent/SOUL.md"], workspace.List("agent"));
        Assert.Equal(["README.md", "agent", "sessions"], workspace.List(""));
        Assert.Equal(["sessions/main/transcript.jsonl"], workspace.List("sessions/main/"));
        Assert.Empty(workspace.List("nothing-here"));
    }

    [Fact]
    public async Task Two_tenants_are_isolated()
    {
        var alice = _factory.ForTenant("alice");
        var bob = _factory.ForTenant("bob");

        await alice.WriteTextAsync("agent/IDENTITY.md", "# Alice", default);
        await alice.WriteTextAsync("private.txt", "alice only", default);

        Assert.Equal("# Template identity", await bob.ReadTextAsync("agent/IDENTITY.md", default));
        Assert.Null(await bob.ReadTextAsync("private.txt", default));
        Assert.False(bob.Exists("private.txt"));
        Assert.DoesNotContain("private.txt", bob.List(""));
        await Assert.ThrowsAsync<WorkspacePathException>(() => bob.ReadTextAsync("../alice/private.txt", default));
    }

    [Theory]
    [InlineData("../outside.txt")]
    [InlineData("agent/../../outside.txt")]
    [InlineData("agent/..")]
    [InlineData("..")]
    [InlineData("..\\outside.txt")]
    [InlineData("/etc/passwd")]
    [InlineData("\\etc\\passwd")]
    [InlineData("//server/share/file")]
    [InlineData("\\\\server\\share\\file")]
    [InlineData("C:\\Windows\\win.ini")]
    [InlineData("C:relative.txt")]
    [InlineData("a\0b.txt")]
    [InlineData("a\nb.txt")]
    [InlineData("file:stream")]
    [InlineData("what?.txt")]
    [InlineData("trailing-dot.")]
    [InlineData("")]
    [InlineData("./")]
    public async Task Rejects_paths_that_are_not_plain_relative_paths(string path)
    {
        var workspace = _factory.ForTenant("alice");

        await Assert.ThrowsAsync<WorkspacePathException>(() => workspace.ReadTextAsync(path, default));
        await Assert.ThrowsAsync<WorkspacePathException>(() => workspace.WriteTextAsync(path, "x", default));
        await Assert.ThrowsAsync<WorkspacePathException>(() => workspace.DeleteAsync(path, default));
        Assert.False(File.Exists(_temp.Combine("outside.txt")));
        Assert.False(File.Exists(Path.Join(_root, "outside.txt")));
    }

    [Fact]
    public void Listing_rejects_escapes_but_accepts_the_root()
    {
        var workspace = _factory.ForTenant("alice");

        Assert.Throws<WorkspacePathException>(() => workspace.List(".."));
        Assert.Throws<WorkspacePathException>(() => workspace.List("/tmp"));
        Assert.Throws<WorkspacePathException>(() => workspace.Exists("../bob"));
        Assert.NotEmpty(workspace.List("."));
    }

    [Fact]
    public async Task A_symlink_in_the_overlay_pointing_outside_is_rejected()
    {
        var outside = _temp.Combine("secret");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Join(outside, "key.txt"), "top secret");
        Directory.CreateDirectory(Path.Join(_root, "alice"));
        Directory.CreateSymbolicLink(Path.Join(_root, "alice", "escape"), outside);
        File.CreateSymbolicLink(Path.Join(_root, "alice", "key-link.txt"), Path.Join(outside, "key.txt"));
        var workspace = _factory.ForTenant("alice");

        await Assert.ThrowsAsync<WorkspacePathException>(() => workspace.ReadTextAsync("escape/key.txt", default));
        await Assert.ThrowsAsync<WorkspacePathException>(() => workspace.ReadTextAsync("key-link.txt", default));
        await Assert.ThrowsAsync<WorkspacePathException>(() => workspace.WriteTextAsync("escape/new.txt", "x", default));
        await Assert.ThrowsAsync<WorkspacePathException>(() => workspace.WriteTextAsync("key-link.txt", "overwritten", default));
        await Assert.ThrowsAsync<WorkspacePathException>(() => workspace.DeleteAsync("key-link.txt", default));
        Assert.Throws<WorkspacePathException>(() => workspace.List("escape"));
        Assert.Throws<WorkspacePathException>(() => workspace.Exists("escape/key.txt"));
        Assert.DoesNotContain("escape", workspace.List(""));

        Assert.Equal("top secret", File.ReadAllText(Path.Join(outside, "key.txt")));
        Assert.False(File.Exists(Path.Join(outside, "new.txt")));
    }

    [Fact]
    public async Task A_relative_symlink_chain_out_of_the_overlay_is_rejected()
    {
        var outside = _temp.Combine("elsewhere");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Join(outside, "data.txt"), "elsewhere");
        var tenantRoot = Path.Join(_root, "alice");
        Directory.CreateDirectory(Path.Join(tenantRoot, "inner"));
        Directory.CreateSymbolicLink(Path.Join(tenantRoot, "inner", "up"), "../../../elsewhere");
        Directory.CreateSymbolicLink(Path.Join(tenantRoot, "hop"), "inner/up");
        var workspace = _factory.ForTenant("alice");

        await Assert.ThrowsAsync<WorkspacePathException>(() => workspace.ReadTextAsync("hop/data.txt", default));
        await Assert.ThrowsAsync<WorkspacePathException>(() => workspace.ReadTextAsync("inner/up/data.txt", default));
    }

    [Fact]
    public async Task A_symlink_inside_the_root_that_stays_inside_is_allowed()
    {
        var tenantRoot = Path.Join(_root, "alice");
        Directory.CreateDirectory(Path.Join(tenantRoot, "real"));
        File.WriteAllText(Path.Join(tenantRoot, "real", "a.txt"), "inside");
        Directory.CreateSymbolicLink(Path.Join(tenantRoot, "alias"), "real");
        var workspace = _factory.ForTenant("alice");

        Assert.Equal("inside", await workspace.ReadTextAsync("alias/a.txt", default));
    }

    [Fact]
    public async Task A_symlink_in_the_template_pointing_outside_is_rejected()
    {
        var outside = _temp.Combine("host-secrets");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Join(outside, "shadow"), "root:x");
        File.CreateSymbolicLink(Path.Join(_template, "agent", "shadow"), Path.Join(outside, "shadow"));
        var workspace = _factory.ForTenant("alice");

        await Assert.ThrowsAsync<WorkspacePathException>(() => workspace.ReadTextAsync("agent/shadow", default));
        Assert.DoesNotContain("agent/shadow", workspace.List("agent"));
    }

    [Fact]
    public async Task Files_over_the_size_limit_are_refused()
    {
        var workspace = _factory.ForTenant("alice");
        File.WriteAllText(Path.Join(_template, "big.txt"), new string('x', 2000));

        var write = await Assert.ThrowsAsync<WorkspaceFileTooLargeException>(() => workspace.WriteTextAsync("big.md", new string('y', 1025), default));
        var read = await Assert.ThrowsAsync<WorkspaceFileTooLargeException>(() => workspace.ReadTextAsync("big.txt", default));

        Assert.Equal(1024, write.LimitBytes);
        Assert.Contains("1024", read.Message);
        Assert.False(workspace.Exists("big.md"));
        await workspace.WriteTextAsync("exact.md", new string('z', 1024), default);
        Assert.Equal(1024, (await workspace.ReadTextAsync("exact.md", default))!.Length);
    }

    [Fact]
    public async Task A_path_through_a_file_is_simply_missing()
    {
        var workspace = _factory.ForTenant("alice");
        await workspace.WriteTextAsync("notes.txt", "n", default);

        Assert.Null(await workspace.ReadTextAsync("notes.txt/inner", default));
        Assert.Null(await workspace.ReadTextAsync("README.md/inner", default));
        Assert.False(workspace.Exists("notes.txt/inner"));
        Assert.False(await workspace.DeleteAsync("notes.txt/inner", default));
        await Assert.ThrowsAnyAsync<IOException>(() => workspace.WriteTextAsync("notes.txt/inner", "x", default));
        await Assert.ThrowsAsync<WorkspacePathException>(() => workspace.WriteTextAsync("agent", "x", default));
        Assert.Null(await workspace.ReadTextAsync("agent", default));
    }

    [Fact]
    public async Task Works_without_a_template()
    {
        var workspace = new TenantWorkspace(_temp.Combine("solo"), null);

        Assert.Null(await workspace.ReadTextAsync("agent/IDENTITY.md", default));
        Assert.Empty(workspace.List(""));
        await workspace.WriteTextAsync("a/b.txt", "ünïcode ✓", default);
        Assert.Equal("ünïcode ✓", await workspace.ReadTextAsync("a/b.txt", default));
        Assert.Equal(["a/b.txt"], workspace.List("a"));
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("name with space")]
    [InlineData("x\0")]
    public void Rejects_tenant_ids_that_are_not_plain_names(string tenantId)
    {
        Assert.Throws<ArgumentException>(() => _factory.ForTenant(tenantId));
    }

    [Fact]
    public void Invalid_options_are_rejected()
    {
        Assert.Throws<OptionsValidationException>(() => new TenantWorkspaceFactory(Options.Create(new WorkspaceOptions { WorkspaceRoot = "" })));
        Assert.Throws<OptionsValidationException>(() => new TenantWorkspaceFactory(Options.Create(new WorkspaceOptions { WorkspaceRoot = "/tmp/x", MaxFileBytes = 0 })));
    }
}
