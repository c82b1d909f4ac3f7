using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenClaw.Runtime.TestingHost;
using OpenClaw.Runtime.Tests.Persistence;
using OpenClaw.Runtime.Tests.TestGrains;

namespace OpenClaw.Runtime.Tests.Runtime;

/// <summary>A grain whose state file is damaged: what its callers see, and the operator's way back.</summary>
public sealed class CorruptStateTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly RecordingLoggerProvider _logs = new();

    public void Dispose() => _directory.Dispose();

    private Task<TestSilo> StartSiloAsync() =>
        TestSilo.StartAsync(typeof(StatefulGrain).Assembly,
            configureServices: s => s
                .AddSingleton<ILoggerProvider>(_logs)
                .AddFileGrainStorage(GrainStorageNames.Default, o => o.RootDirectory = _directory.Path));

    [Fact]
    public async Task Every_call_fails_with_the_damage_as_the_cause_and_one_error_log_until_the_file_is_moved_aside()
    {
        var key = GrainProbe.UniqueKey("corrupt");
        await using var silo = await StartSiloAsync();
        var grain = silo.GrainFactory.GetGrain<IStatefulGrain>(key);
        await grain.Add("kept");
        await grain.Save();
        await silo.DeactivateAsync<IStatefulGrain>(key);
        var file = Assert.Single(Directory.GetFiles(_directory.Path, "*.state", SearchOption.AllDirectories));
        var content = await File.ReadAllBytesAsync(file);
        await File.WriteAllBytesAsync(file, content[..^5]);

        for (var call = 0; call < 3; call++)
        {
            var error = await Assert.ThrowsAsync<GrainActivationException>(() => grain.Items());
            var cause = Assert.IsType<GrainStorageCorruptedException>(error.InnerException);
            Assert.Equal(file, cause.Location);
            Assert.False(silo.IsActive<IStatefulGrain>(key));
        }

        var logged = Assert.Single(_logs.Entries, e => e.Level >= LogLevel.Warning);
        Assert.Equal(LogLevel.Error, logged.Level);
        Assert.Contains(key, logged.Message, StringComparison.Ordinal);

        File.Move(file, file + ".damaged");

        Assert.Empty(await grain.Items());
        await grain.Add("fresh");
        await grain.Save();
        Assert.Equal(1, await grain.Etag());
    }
}
