using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.Tests.ControlPlane.Monitor;

/// <summary>Stands in for the silo host's statistics reader: the test sets what the next read returns.</summary>
internal sealed class FakeClusterStatsReader : IClusterStatsReader
{
    private readonly object _lock = new();
    private IReadOnlyList<SiloStats> _silos = [];
    private IReadOnlyList<string> _unreachable = [];
    private int _reads;

    public bool Fail { get; set; }

    public int Reads => Volatile.Read(ref _reads);

    public void Set(IReadOnlyList<SiloStats> silos, IReadOnlyList<string>? unreachable = null)
    {
        lock (_lock)
        {
            _silos = silos;
            _unreachable = unreachable ?? [];
        }
    }

    public void Set(params SiloStats[] silos) => Set((IReadOnlyList<SiloStats>)silos);

    public Task<ClusterStatsSnapshot> ReadAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reads);
        if (Fail) throw new TimeoutException("stats reader made to fail by the test");
        lock (_lock)
        {
            return Task.FromResult(new ClusterStatsSnapshot { Silos = _silos, Unreachable = _unreachable });
        }
    }

    public static SiloStats Silo(string name, long workingSetMb = 100, int activations = 0, int maxActivations = 1000,
        long calls = 0, long failures = 0, long providerErrors = 0) => new()
    {
        Silo = name,
        StartedAt = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
        WorkingSetBytes = workingSetMb * 1024 * 1024,
        Activations = activations,
        MaxActivations = maxActivations,
        CallsTotal = calls,
        CallFailuresTotal = failures,
        ProviderErrorsTotal = providerErrors,
    };
}
