using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenClaw.Grains.Tenants;
using OpenClaw.Runtime;

namespace OpenClaw.Silo.Tests;

/// <summary>What the silo does at startup with its data directory: damage it refuses, and permissions.</summary>
public sealed class StartupTests : IDisposable
{
    private static readonly TimeSpan ExitDeadline = TimeSpan.FromSeconds(90);
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task A_truncated_old_tenant_store_stops_the_silo_with_one_clear_line_and_exit_code_1()
    {
        var storeFile = _data.Combine("tenants", LegacyTenantFile.FileName);
        Directory.CreateDirectory(Path.GetDirectoryName(storeFile)!);
        const string truncated = """{"version":1,"tenants":[{"tenantId":"ali""";
        await File.WriteAllTextAsync(storeFile, truncated);

        var (exitCode, stdout, stderr) = await RunSiloProcessAsync("--port", "0", "--data-dir", _data.Path);

        Assert.Equal(1, exitCode);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("openclaw-silo: cannot start: ", line, StringComparison.Ordinal);
        Assert.Contains(storeFile, line, StringComparison.Ordinal);
        Assert.Contains("Restore it from a backup", line, StringComparison.Ordinal);
        Assert.Contains("move it aside", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", stdout + stderr, StringComparison.Ordinal);
        Assert.Equal(truncated, await File.ReadAllTextAsync(storeFile));
    }

    [Fact]
    public async Task A_new_data_directory_and_the_silos_files_in_it_are_private_to_the_owner()
    {
        if (OperatingSystem.IsWindows()) return;
        var data = _data.Combine("new", "data");

        await using (await InProcessSilo.StartAsync(data))
        {
        }

        foreach (var directory in new[] { _data.Combine("new"), data, Path.Join(data, "tenants") })
            Assert.Equal(OwnerOnlyPaths.DirectoryMode, File.GetUnixFileMode(directory));
        foreach (var file in new[] { Path.Join(data, "demo-token"), Path.Join(data, "tenants", SqliteTenantRegistryOptions.DefaultFileName) })
            Assert.Equal(OwnerOnlyPaths.FileMode, File.GetUnixFileMode(file));
    }

    [Fact]
    public async Task Entries_an_older_version_left_readable_by_others_are_narrowed_at_startup()
    {
        if (OperatingSystem.IsWindows()) return;
        const UnixFileMode openDirectory = (UnixFileMode)0b111_101_101; // 0755
        const UnixFileMode openFile = (UnixFileMode)0b110_100_100;      // 0644
        foreach (var directory in new[] { "grains", "tenants", "workspaces" })
        {
            Directory.CreateDirectory(_data.Combine(directory));
            File.SetUnixFileMode(_data.Combine(directory), openDirectory);
        }
        await File.WriteAllTextAsync(_data.Combine("demo-token"), "oct_old-demo-token");
        File.SetUnixFileMode(_data.Combine("demo-token"), openFile);
        File.SetUnixFileMode(_data.Path, openDirectory);

        var app = InProcessSilo.Build(_data.Path);
        await using (app)
            Assert.Null(await StartupChecks.RunAsync(app.Services, CancellationToken.None));

        foreach (var directory in new[] { "grains", "tenants", "workspaces" })
            Assert.Equal(OwnerOnlyPaths.DirectoryMode, File.GetUnixFileMode(_data.Combine(directory)));
        Assert.Equal(OwnerOnlyPaths.FileMode, File.GetUnixFileMode(_data.Combine("demo-token")));
        // The data directory itself may be a shared place the operator chose: left as it is.
        Assert.Equal(openDirectory, File.GetUnixFileMode(_data.Path));
    }

    /// <summary>Runs the built silo (copied next to the tests) until it exits on its own; killed by id if it does not.</summary>
    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunSiloProcessAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "openclaw-silo.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var variable in new[] { "OPENCLAW_GLOBAL_CONFIG", "OPENCLAW_DEMO_TOKEN", "OPENCLAW_PORT", "OPENCLAW_DATA_DIR", "ASPNETCORE_URLS" })
            start.Environment.Remove(variable);
        start.Environment["DOTNET_NOLOGO"] = "1";

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(ExitDeadline);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"the silo did not exit within {ExitDeadline}; stdout: {await stdout}");
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
