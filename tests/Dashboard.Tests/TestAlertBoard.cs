using OpenClaw.Grains.Interfaces;
using OpenClaw.Runtime;

namespace OpenClaw.Dashboard.Tests;

/// <summary>
/// Stand-in for the monitor (helper "monitor" builds the real one): alerts the test raises and
/// resolves itself. The dashboard reads it through <see cref="IMonitorGrain"/> like the real one.
/// </summary>
public sealed class TestAlertBoard
{
    private readonly Lock _lock = new();
    private readonly List<AlertRecord> _alerts = [];

    public void Raise(AlertRecord alert)
    {
        lock (_lock) _alerts.Add(alert);
    }

    public IReadOnlyList<AlertRecord> Active()
    {
        lock (_lock) return _alerts.Where(a => a.ResolvedAt is null).ToList();
    }

    public IReadOnlyList<AlertRecord> History(int limit)
    {
        lock (_lock) return _alerts.OrderByDescending(a => a.RaisedAt).Take(limit).ToList();
    }
}

/// <summary>The test's <see cref="IMonitorGrain"/>: answers from <see cref="TestAlertBoard"/>.</summary>
public sealed class TestMonitorGrain(TestAlertBoard board) : Grain, IMonitorGrain
{
    public Task EnsureRunning(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<IReadOnlyList<AlertRecord>> EvaluateNow(CancellationToken cancellationToken = default) => Task.FromResult(board.Active());

    public Task<IReadOnlyList<AlertRecord>> GetActiveAlerts(CancellationToken cancellationToken = default) => Task.FromResult(board.Active());

    public Task<IReadOnlyList<AlertRecord>> GetAlertHistory(int limit, CancellationToken cancellationToken = default) => Task.FromResult(board.History(limit));
}
