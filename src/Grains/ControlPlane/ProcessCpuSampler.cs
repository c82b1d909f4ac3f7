using System.Diagnostics;

namespace OpenClaw.Grains.ControlPlane;

/// <summary>
/// This process's CPU use between two readings, as a percentage of the whole machine (all cores:
/// 100 means every core busy). The first reading covers the time since the process started.
/// One per process: CPU time is a property of the process, whatever reads it.
/// </summary>
public sealed class ProcessCpuSampler
{
    public static ProcessCpuSampler Shared { get; } = new();

    private readonly object _lock = new();
    private TimeSpan _lastCpu;
    private DateTime _lastAt;

    private ProcessCpuSampler()
    {
        using var process = Process.GetCurrentProcess();
        _lastCpu = TimeSpan.Zero;
        _lastAt = process.StartTime.ToUniversalTime();
    }

    public double Sample()
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var now = DateTime.UtcNow;
        lock (_lock)
        {
            var wall = now - _lastAt;
            var used = cpu - _lastCpu;
            // Readings closer than 100 ms apart say little: report the previous interval's figure again.
            if (wall < TimeSpan.FromMilliseconds(100)) return _lastPercent;
            _lastCpu = cpu;
            _lastAt = now;
            _lastPercent = Math.Clamp(used.TotalMilliseconds / (wall.TotalMilliseconds * Environment.ProcessorCount) * 100, 0, 100);
            return _lastPercent;
        }
    }

    private double _lastPercent;
}
