using System.Globalization;

namespace OpenClaw.Bench.Cluster;

/// <summary>
/// CPU time of groups of processes over an interval, from /proc/&lt;pid&gt;/stat (utime + stime,
/// in clock ticks of 1/100 s, the Linux default). A group is a function that names its pids at
/// the moment of sampling (so PostgreSQL's backends can be found as the postmaster's children).
/// </summary>
internal sealed class ProcessCpu
{
    private const double TicksPerSecond = 100;

    private readonly IReadOnlyList<(string Name, Func<IEnumerable<int>> Pids)> _groups;
    private readonly Dictionary<int, long> _start;
    private readonly long _startedAt = Environment.TickCount64;

    public ProcessCpu(IReadOnlyList<(string Name, Func<IEnumerable<int>> Pids)> groups)
    {
        _groups = groups;
        _start = Sample();
    }

    /// <summary>Cores used per group since construction (a process that started meanwhile counts from its start).</summary>
    public IReadOnlyList<(string Name, double Cores)> Cores()
    {
        var seconds = (Environment.TickCount64 - _startedAt) / 1000.0;
        var result = new List<(string, double)>();
        foreach (var (name, pids) in _groups)
        {
            long ticks = 0;
            foreach (var pid in pids().Distinct())
                if (Ticks(pid) is { } now) ticks += now - _start.GetValueOrDefault(pid);
            result.Add((name, ticks / TicksPerSecond / seconds));
        }
        return result;
    }

    private Dictionary<int, long> Sample()
    {
        var sample = new Dictionary<int, long>();
        foreach (var (_, pids) in _groups)
            foreach (var pid in pids())
                if (Ticks(pid) is { } ticks) sample[pid] = ticks;
        return sample;
    }

    private static long? Ticks(int pid)
    {
        var fields = StatFields(pid);
        return fields is null ? null : long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    /// <summary>The fields of /proc/pid/stat after the command name (index 0 is the state, 1 the parent pid).</summary>
    private static string[]? StatFields(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            return text[(text.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary><paramref name="parent"/> and its direct children.</summary>
    public static IEnumerable<int> WithChildren(int parent)
    {
        yield return parent;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid)) continue;
            if (StatFields(pid) is { } fields && fields[1] == parent.ToString(CultureInfo.InvariantCulture)) yield return pid;
        }
    }

    public static IEnumerable<int> FromPidFile(string path)
    {
        int? pid = null;
        try
        {
            if (int.TryParse(File.ReadLines(path).FirstOrDefault()?.Trim(), out var value)) pid = value;
        }
        catch (IOException)
        {
        }
        if (pid is { } p) yield return p;
    }
}
