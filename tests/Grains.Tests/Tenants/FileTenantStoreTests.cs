using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Grains.Tenants;
using OpenClaw.Grains.Tests.Workspace;
using OpenClaw.Runtime;

namespace OpenClaw.Grains.Tests.Tenants;

public sealed class FileTenantStoreTests : TenantStoreContractTests, IDisposable
{
    private readonly TempDirectory _temp = new();

    private string StoreDirectory => _temp.Combine("store");

    protected override Task<ITenantStore> OpenStoreAsync() =>
        Task.FromResult<ITenantStore>(new FileTenantStore(Options.Create(new FileTenantStoreOptions { Directory = StoreDirectory })));

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task The_file_holds_token_hashes_never_plaintext_and_no_temp_files_remain()
    {
        var store = new FileTenantStore(Options.Create(new FileTenantStoreOptions { Directory = StoreDirectory }));
        await store.UpsertAsync(Tenant("alice"), default);
        var token = await store.IssueTokenAsync("alice", default);

        var text = await File.ReadAllTextAsync(store.FilePath);

        Assert.DoesNotContain(token, text);
        Assert.Contains(TenantTokens.Hash(token), text);
        Assert.Equal([store.FilePath], Directory.GetFiles(StoreDirectory));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.FilePath));
        }
    }

    [Fact]
    public async Task A_corrupt_file_fails_clearly_and_is_not_overwritten()
    {
        Directory.CreateDirectory(StoreDirectory);
        var path = Path.Join(StoreDirectory, FileTenantStoreOptions.DefaultFileName);
        await File.WriteAllTextAsync(path, "{ not json");
        var store = await OpenStoreAsync();

        var error = await Assert.ThrowsAsync<TenantStoreFileException>(() => store.ListAsync(default));
        await Assert.ThrowsAsync<TenantStoreFileException>(() => store.UpsertAsync(Tenant("alice"), default));

        Assert.Contains(path, error.Message);
        Assert.Equal("{ not json", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task A_truncated_file_names_the_file_and_the_way_out()
    {
        var store = new FileTenantStore(Options.Create(new FileTenantStoreOptions { Directory = StoreDirectory }));
        await store.UpsertAsync(Tenant("alice"), default);
        await store.IssueTokenAsync("alice", default);
        var content = await File.ReadAllBytesAsync(store.FilePath);
        await File.WriteAllBytesAsync(store.FilePath, content[..(content.Length / 2)]);

        var reopened = await OpenStoreAsync();

        var error = await Assert.ThrowsAsync<TenantStoreFileException>(() => reopened.ListAsync(default));

        Assert.Equal(store.FilePath, error.FilePath);
        Assert.Contains(store.FilePath, error.Message, StringComparison.Ordinal);
        Assert.Contains("Restore it from a backup", error.Message, StringComparison.Ordinal);
        Assert.Contains("move it aside", error.Message, StringComparison.Ordinal);
        Assert.Equal(content.Length / 2, new FileInfo(store.FilePath).Length);
    }

    [Fact]
    public async Task The_store_and_every_directory_it_creates_are_private_to_the_owner()
    {
        if (OperatingSystem.IsWindows()) return;
        var directory = _temp.Combine("data", "tenants");
        var store = new FileTenantStore(Options.Create(new FileTenantStoreOptions { Directory = directory }));

        await store.UpsertAsync(Tenant("alice"), default);

        Assert.Equal(OwnerOnlyPaths.FileMode, File.GetUnixFileMode(store.FilePath));
        Assert.Equal(OwnerOnlyPaths.DirectoryMode, File.GetUnixFileMode(directory));
        Assert.Equal(OwnerOnlyPaths.DirectoryMode, File.GetUnixFileMode(_temp.Combine("data")));
    }

    [Fact]
    public async Task An_existing_file_readable_by_others_is_narrowed_when_loaded()
    {
        if (OperatingSystem.IsWindows()) return;
        var written = new FileTenantStore(Options.Create(new FileTenantStoreOptions { Directory = StoreDirectory }));
        await written.UpsertAsync(Tenant("alice"), default);
        const UnixFileMode everyoneReads = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        File.SetUnixFileMode(written.FilePath, everyoneReads);
        File.SetUnixFileMode(StoreDirectory, everyoneReads | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);

        Assert.Single(await (await OpenStoreAsync()).ListAsync(default));

        Assert.Equal(OwnerOnlyPaths.FileMode, File.GetUnixFileMode(written.FilePath));
        Assert.Equal(OwnerOnlyPaths.DirectoryMode, File.GetUnixFileMode(StoreDirectory));
    }

    [Fact]
    public void Registers_as_the_tenant_store_singleton()
    {
        using var services = new ServiceCollection()
            .AddLogging()
            .AddFileTenantStore(o => o.Directory = StoreDirectory)
            .BuildServiceProvider();

        var store = services.GetRequiredService<ITenantStore>();

        Assert.IsType<FileTenantStore>(store);
        Assert.Same(store, services.GetRequiredService<ITenantStore>());
    }

    [Fact]
    public void Options_without_a_directory_are_rejected()
    {
        Assert.Throws<OptionsValidationException>(() => new FileTenantStore(Options.Create(new FileTenantStoreOptions())));
    }

    [Fact]
    public void Token_hashes_are_sha256_hex_and_compare_in_constant_time()
    {
        var hash = TenantTokens.Hash("abc");

        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", hash);
        Assert.True(TenantTokens.HashesEqual(hash, TenantTokens.Hash("abc")));
        Assert.False(TenantTokens.HashesEqual(hash, TenantTokens.Hash("abd")));
        Assert.False(TenantTokens.HashesEqual(hash, ""));
    }
}
