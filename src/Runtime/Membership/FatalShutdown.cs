using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace OpenClaw.Runtime;

/// <summary>
/// What a silo does when it learns it was declared dead: stop serving at once and end the process
/// without running shutdown (a graceful shutdown would persist grain state that a new silo may
/// already own). The process manager (Kubernetes, systemd, the test) starts a new generation.
/// </summary>
public interface IFatalShutdown
{
    void DeclaredDead(SiloAddress silo);
}

internal sealed class ProcessFatalShutdown(MembershipLease lease, ILogger<ProcessFatalShutdown> logger) : IFatalShutdown
{
    /// <summary>The exit code of a silo that stopped because it was declared dead.</summary>
    public const int DeclaredDeadExitCode = 71;

    public void DeclaredDead(SiloAddress silo)
    {
        lease.Revoke();
        ClusterLog.DeclaredDead(logger, silo);
        Console.Error.WriteLine($"openclaw: silo {silo} was declared dead by the cluster; exiting ({DeclaredDeadExitCode}).");
        Console.Error.Flush();
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) ExitNow(DeclaredDeadExitCode);
        Environment.FailFast($"silo {silo} was declared dead by the cluster");
    }

    // _exit: no atexit handlers, no ProcessExit event, no host shutdown.
    [DllImport("libc", EntryPoint = "_exit")]
    private static extern void ExitNow(int status);
}
