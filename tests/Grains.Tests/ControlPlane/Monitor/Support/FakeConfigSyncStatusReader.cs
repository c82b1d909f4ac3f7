using OpenClaw.Grains.ControlPlane.Monitor;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.Tests.ControlPlane.Monitor;

/// <summary>Stands in for the config sync grain's status.</summary>
internal sealed class FakeConfigSyncStatusReader : IConfigSyncStatusReader
{
    public ConfigSyncStatus Status { get; set; } = new() { Enabled = true };

    public bool Fail { get; set; }

    public void Failures(int consecutive, string? error = null) =>
        Status = new ConfigSyncStatus { Enabled = true, ConsecutiveFailures = consecutive, LastError = error };

    public Task<ConfigSyncStatus> ReadAsync(CancellationToken cancellationToken) =>
        Fail ? Task.FromException<ConfigSyncStatus>(new InvalidOperationException("sync status made to fail by the test")) : Task.FromResult(Status);
}
