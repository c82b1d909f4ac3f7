using System.ComponentModel;
using System.Runtime.InteropServices;

namespace OpenClaw.Cluster.Tests.Infrastructure;

/// <summary>POSIX signals to one process id (Linux numbering): what an operator's kill(1) does.</summary>
internal static class ProcessSignals
{
    public const int SigKill = 9;
    public const int SigTerm = 15;
    public const int SigCont = 18;
    public const int SigStop = 19;

    public static void Send(int pid, int signal)
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("The cluster tests send Linux signals.");
        if (Kill(pid, signal) != 0)
            throw new Win32Exception(Marshal.GetLastPInvokeError(), $"kill({pid}, {signal}) failed");
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
