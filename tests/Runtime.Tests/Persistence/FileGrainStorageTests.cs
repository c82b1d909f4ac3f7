using System.Text;
using Microsoft.Extensions.Logging;

namespace OpenClaw.Runtime.Tests.Persistence;

/// <summary>What is particular to the file provider: its files, their safety and their damage.</summary>
public sealed class FileGrainStorageTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly string _root;
    private readonly FileGrainStorage _storage;

    public FileGrainStorageTests()
    {
        _root = Path.Combine(_directory.Path, "root");
        _storage = new FileGrainStorage("files", new FileGrainStorageOptions { RootDirectory = _root });
    }

    public void Dispose() => _directory.Dispose();

    private static GrainStateKey Key(string grainKey = "tenant-42") => new("tenant", grainKey, "profile");

    private static byte[] Json(string json) => Encoding.UTF8.GetBytes(json);

    private string[] StateFiles() => Directory.GetFiles(_root, "*", SearchOption.AllDirectories);

    private async Task<string> WriteOneAsync(GrainStateKey key, string json = """{"v":1}""")
    {
        await _storage.WriteAsync(key, Json(json), 0, CancellationToken.None);
        return Assert.Single(StateFiles(), f => Path.GetFileName(f).StartsWith(key.GrainKey + ".", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Files_are_named_readably_and_stay_under_the_root()
    {
        string[] keys = ["tenant-42", "../../escape", "/abs/path", "..", "ключ", new string('x', 2048)];
        foreach (var key in keys)
        {
            await _storage.WriteAsync(Key(key), Json("{}"), 0, CancellationToken.None);
        }

        var everything = Directory.GetFileSystemEntries(_directory.Path, "*", SearchOption.AllDirectories);
        Assert.All(everything, entry => Assert.StartsWith(_root, entry, StringComparison.Ordinal));
        var files = StateFiles();
        Assert.Equal(keys.Length, files.Length);
        Assert.All(files, f => Assert.True(Path.GetFileName(f).Length < 200, f));
        Assert.Contains(files, f => Path.GetFileName(f).StartsWith("tenant-42.profile.", StringComparison.Ordinal));
        Assert.All(files, f => Assert.StartsWith("tenant_", Path.GetFileName(Path.GetDirectoryName(f)), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Writes_leave_no_temporary_files()
    {
        for (var etag = 0; etag < 5; etag++)
        {
            await _storage.WriteAsync(Key(), Json($$"""{"v":{{etag}}}"""), etag, CancellationToken.None);
        }

        await _storage.ClearAsync(Key(), 5, CancellationToken.None);

        Assert.Single(StateFiles());
    }

    [Fact]
    public async Task State_bytes_are_kept_exactly()
    {
        var data = Json("""{ "b" : 1,   "a": "ü" }""");

        await _storage.WriteAsync(Key(), data, 0, CancellationToken.None);

        Assert.Equal(data, (await _storage.ReadAsync(Key(), CancellationToken.None))!.Data);
    }

    [Fact]
    public async Task A_garbage_file_is_reported_with_its_name_and_left_alone()
    {
        var file = await WriteOneAsync(Key());
        await File.WriteAllTextAsync(file, "this is not a grain state file");

        var error = await Assert.ThrowsAsync<GrainStorageCorruptedException>(() => _storage.ReadAsync(Key(), CancellationToken.None));
        await Assert.ThrowsAsync<GrainStorageCorruptedException>(() => _storage.WriteAsync(Key(), Json("{}"), 0, CancellationToken.None));
        await Assert.ThrowsAsync<GrainStorageCorruptedException>(() => _storage.ClearAsync(Key(), 1, CancellationToken.None));

        Assert.Contains(file, error.Message, StringComparison.Ordinal);
        Assert.Equal(file, error.Location);
        Assert.Equal("this is not a grain state file", await File.ReadAllTextAsync(file));
    }

    [Fact]
    public async Task A_truncated_file_is_reported()
    {
        var file = await WriteOneAsync(Key(), """{"payload":"some state that will be cut short"}""");
        var content = await File.ReadAllBytesAsync(file);
        await File.WriteAllBytesAsync(file, content[..^10]);

        var error = await Assert.ThrowsAsync<GrainStorageCorruptedException>(() => _storage.ReadAsync(Key(), CancellationToken.None));

        Assert.Contains(file, error.Message, StringComparison.Ordinal);
        Assert.Contains("bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_flipped_byte_in_the_data_is_reported()
    {
        var file = await WriteOneAsync(Key(), """{"payload":"abc"}""");
        var content = await File.ReadAllBytesAsync(file);
        content[^3] = (byte)'X';
        await File.WriteAllBytesAsync(file, content);

        var error = await Assert.ThrowsAsync<GrainStorageCorruptedException>(() => _storage.ReadAsync(Key(), CancellationToken.None));

        Assert.Contains("SHA-256", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_holding_another_grains_state_is_reported()
    {
        var mine = await WriteOneAsync(Key("mine"));
        var theirs = await WriteOneAsync(Key("theirs"));
        File.Copy(theirs, mine, overwrite: true);

        var error = await Assert.ThrowsAsync<GrainStorageCorruptedException>(() => _storage.ReadAsync(Key("mine"), CancellationToken.None));

        Assert.Contains("theirs", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_damaged_file_is_logged_once_as_an_error_and_not_read_again_until_it_changes()
    {
        var logger = new RecordingLogger<FileGrainStorage>();
        var storage = new FileGrainStorage("files", new FileGrainStorageOptions { RootDirectory = _root }, logger);
        var file = await WriteOneAsync(Key(), """{"payload":"abc"}""");
        var valid = await File.ReadAllBytesAsync(file);
        var damaged = (byte[])valid.Clone();
        damaged[^3] = (byte)'X';
        await File.WriteAllBytesAsync(file, damaged);
        var damagedAt = File.GetLastWriteTimeUtc(file);

        for (var call = 0; call < 5; call++)
        {
            await Assert.ThrowsAsync<GrainStorageCorruptedException>(() => storage.ReadAsync(Key(), CancellationToken.None));
        }

        var error = Assert.Single(logger.Entries, e => e.Level >= LogLevel.Warning);
        Assert.Equal(LogLevel.Error, error.Level);
        Assert.Contains(Key().ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains(file, error.Message, StringComparison.Ordinal);
        Assert.Contains("move it aside", error.Message, StringComparison.Ordinal);

        // Valid content with the damaged file's size and time: a storage that read the file again would succeed.
        await File.WriteAllBytesAsync(file, valid);
        File.SetLastWriteTimeUtc(file, damagedAt);
        await Assert.ThrowsAsync<GrainStorageCorruptedException>(() => storage.ReadAsync(Key(), CancellationToken.None));
        Assert.Single(logger.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task A_damaged_file_that_is_restored_or_moved_aside_is_read_again()
    {
        var file = await WriteOneAsync(Key(), """{"v":"backed up"}""");
        var backup = await File.ReadAllBytesAsync(file);
        await File.WriteAllBytesAsync(file, backup[..^4]);
        await Assert.ThrowsAsync<GrainStorageCorruptedException>(() => _storage.ReadAsync(Key(), CancellationToken.None));

        await File.WriteAllBytesAsync(file, backup);
        Assert.Equal(Json("""{"v":"backed up"}"""), (await _storage.ReadAsync(Key(), CancellationToken.None))!.Data);

        await File.WriteAllBytesAsync(file, backup[..^4]);
        await Assert.ThrowsAsync<GrainStorageCorruptedException>(() => _storage.ReadAsync(Key(), CancellationToken.None));
        File.Move(file, file + ".damaged");
        Assert.Null(await _storage.ReadAsync(Key(), CancellationToken.None));
        Assert.Equal(1, await _storage.WriteAsync(Key(), Json("{}"), 0, CancellationToken.None));
    }

    [Fact]
    public async Task State_files_and_their_directories_are_private_to_the_owner()
    {
        if (OperatingSystem.IsWindows()) return;
        var nested = new FileGrainStorage("files", new FileGrainStorageOptions { RootDirectory = Path.Combine(_directory.Path, "new", "grains") });

        await nested.WriteAsync(Key(), Json("{}"), 0, CancellationToken.None);

        var file = Assert.Single(Directory.GetFiles(nested.RootDirectory, "*", SearchOption.AllDirectories));
        Assert.Equal(OwnerOnlyPaths.FileMode, File.GetUnixFileMode(file));
        Assert.Equal(OwnerOnlyPaths.DirectoryMode, File.GetUnixFileMode(Path.GetDirectoryName(file)!));
        Assert.Equal(OwnerOnlyPaths.DirectoryMode, File.GetUnixFileMode(nested.RootDirectory));
        Assert.Equal(OwnerOnlyPaths.DirectoryMode, File.GetUnixFileMode(Path.Combine(_directory.Path, "new")));
    }

    [Fact]
    public async Task A_temporary_file_left_by_a_crash_is_ignored()
    {
        var file = await WriteOneAsync(Key());
        await File.WriteAllTextAsync(file + ".0123456789abcdef0123456789abcdef.tmp", "half-written");

        Assert.Equal(1, (await _storage.ReadAsync(Key(), CancellationToken.None))!.Etag);
        Assert.Equal(2, await _storage.WriteAsync(Key(), Json("{}"), 1, CancellationToken.None));
    }

    [Fact]
    public async Task Two_instances_on_one_root_in_one_process_share_the_etag_check()
    {
        var other = new FileGrainStorage("files", new FileGrainStorageOptions { RootDirectory = _root });
        await _storage.WriteAsync(Key(), Json("{}"), 0, CancellationToken.None);

        var writes = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            try
            {
                await (i % 2 == 0 ? _storage : other).WriteAsync(Key(), Json($$"""{"i":{{i}}}"""), 1, CancellationToken.None);
                return true;
            }
            catch (InconsistentStateException)
            {
                return false;
            }
        }));

        Assert.Single(await Task.WhenAll(writes), won => won);
    }

    [Fact]
    public void Directories_can_be_flushed_to_disk()
    {
        DirectoryFlush.Flush(_directory.Path);

        if (!OperatingSystem.IsWindows())
        {
            Assert.Throws<IOException>(() => DirectoryFlush.Flush(Path.Combine(_directory.Path, "missing")));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void An_empty_root_directory_is_rejected_with_a_clear_message(string root)
    {
        var error = Assert.Throws<ArgumentException>(() => new FileGrainStorage("files", new FileGrainStorageOptions { RootDirectory = root }));

        Assert.Contains("RootDirectory is empty", error.Message, StringComparison.Ordinal);
        Assert.Contains("'files'", error.Message, StringComparison.Ordinal);
    }
}
