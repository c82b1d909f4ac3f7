using Microsoft.Extensions.Options;
using OpenClaw.Grains.Workspace;

namespace OpenClaw.Grains.Tests.Workspace;

/// <summary>Deletion markers, flags and the overlay quota of <see cref="TenantWorkspace"/>.</summary>
public sealed class WorkspaceOverlayBookkeepingTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly TenantWorkspaceFactory _factory;

    public WorkspaceOverlayBookkeepingTests()
    {
        Directory.CreateDirectory(_temp.Combine("template", "docs"));
        File.WriteAllText(_temp.Combine("template", "README.md"), "readme");
        File.WriteAllText(_temp.Combine("template", "docs", "guide.md"), "guide");
        _factory = new TenantWorkspaceFactory(Options.Create(new WorkspaceOptions
        {
            WorkspaceRoot = _temp.Combine("workspaces"),
            TemplatePath = _temp.Combine("template"),
            MaxFileBytes = 1024,
            MaxWorkspaceBytes = 100,
            MaxWorkspaceFiles = 3,
        }));
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Remove_hides_a_template_file_from_this_tenant_only_and_a_write_brings_it_back()
    {
        var alice = _factory.ForTenant("alice");

        Assert.True(await alice.RemoveAsync("README.md", default));
        Assert.False(await alice.RemoveAsync("README.md", default));

        Assert.Null(await alice.ReadTextAsync("README.md", default));
        Assert.False(alice.Exists("README.md"));
        Assert.DoesNotContain("README.md", alice.List(""));
        Assert.Equal(WorkspaceEntryKind.None, alice.KindOf("README.md"));
        Assert.Equal("readme", await _factory.ForTenant("bob").ReadTextAsync("README.md", default));

        await alice.WriteTextAsync("README.md", "mine", default);
        Assert.Equal("mine", await alice.ReadTextAsync("README.md", default));
        Assert.Equal(new WorkspaceUsage(4, 1), alice.Usage);
        await Assert.ThrowsAsync<WorkspacePathException>(() => alice.RemoveAsync("docs", default));
    }

    [Fact]
    public async Task Reserved_names_cannot_be_named_and_are_never_listed()
    {
        var alice = _factory.ForTenant("alice");
        await alice.RemoveAsync("README.md", default);
        alice.SetMarker("setup-completed");

        Assert.True(alice.HasMarker("setup-completed"));
        Assert.DoesNotContain(alice.List(""), name => name.StartsWith(".~", StringComparison.Ordinal));
        await Assert.ThrowsAsync<WorkspacePathException>(() => alice.ReadTextAsync(".~wh-README.md", default));
        await Assert.ThrowsAsync<WorkspacePathException>(() => alice.WriteTextAsync(".~mark-setup-completed", "", default));
        Assert.Throws<ArgumentException>(() => alice.SetMarker("../x"));
    }

    [Fact]
    public async Task The_quota_counts_bytes_and_files_and_refuses_before_writing()
    {
        var alice = _factory.ForTenant("alice");
        await alice.WriteTextAsync("a.txt", new string('a', 60), default);
        await alice.WriteTextAsync("b.txt", new string('b', 30), default);

        await Assert.ThrowsAsync<WorkspaceQuotaExceededException>(() => alice.WriteTextAsync("c.txt", new string('c', 20), default));
        Assert.False(File.Exists(_temp.Combine("workspaces", "alice", "c.txt")));
        await alice.WriteTextAsync("a.txt", new string('a', 70), default); // replacing counts the difference

        await alice.WriteTextAsync("c.txt", "", default);
        await Assert.ThrowsAsync<WorkspaceQuotaExceededException>(() => alice.RemoveAsync("README.md", default)); // a marker is a file
        Assert.Equal("readme", await alice.ReadTextAsync("README.md", default));

        Assert.True(await alice.DeleteAsync("c.txt", default));
        Assert.Equal(new WorkspaceUsage(100, 2), alice.Usage);
        alice.InvalidateUsage();
        Assert.Equal(new WorkspaceUsage(100, 2), alice.Usage);
    }

    [Fact]
    public async Task Entries_carry_kind_and_size_with_the_overlay_winning()
    {
        var alice = _factory.ForTenant("alice");
        await alice.WriteTextAsync("README.md", "mine!", default);

        var entries = alice.ListEntries("")!;

        Assert.Equal([new WorkspaceEntry("README.md", false, 5), new WorkspaceEntry("docs", true, 0)], entries);
        Assert.Null(alice.ListEntries("missing"));
        Assert.Equal([new WorkspaceEntry("guide.md", false, 5)], alice.ListEntries("docs")!);
    }
}
