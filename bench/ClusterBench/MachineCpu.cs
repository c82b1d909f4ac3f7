namespace OpenClaw.Bench.Cluster;

/// <summary>CPU cores busy on the whole machine between construction and <see cref="Cores"/> (from /proc/stat).</summary>
internal sealed class MachineCpu
{
    private readonly (long Busy, long Total) _start = Read();

    public double Cores()
    {
        var end = Read();
        var total = end.Total - _start.Total;
        return total <= 0 ? double.NaN : (end.Busy - _start.Busy) / (double)total * Environment.ProcessorCount;
    }

    private static (long Busy, long Total) Read()
    {
        // cpu  user nice system idle iowait irq softirq steal guest guest_nice (guest time is inside user)
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(long.Parse).ToArray();
        var total = fields.Sum();
        return (total - fields[3] - fields[4], total);
    }
}
