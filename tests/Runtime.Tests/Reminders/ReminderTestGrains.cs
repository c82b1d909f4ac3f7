using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;

namespace OpenClaw.Runtime.Tests.Reminders;

/// <summary>A grain that takes reminders and registers its own through the registry it resolves from its services.</summary>
public interface IReminderProbeGrain : IRemindable
{
    Task<ReminderEntry> Register(string name, TimeSpan dueTime, TimeSpan period);

    Task Unregister(string name);

    Task<IReadOnlyList<ReminderEntry>> List();
}

public sealed class ReminderProbeGrain(ReminderProbe probe, LocalSilo local) : Grain, IReminderProbeGrain
{
    private IReminderRegistry Registry => ServiceProvider.GetRequiredService<IReminderRegistry>();

    public Task<ReminderEntry> Register(string name, TimeSpan dueTime, TimeSpan period) =>
        Registry.RegisterOrUpdateAsync(GrainId, name, dueTime, period);

    public Task Unregister(string name) => Registry.UnregisterAsync(GrainId, name);

    public Task<IReadOnlyList<ReminderEntry>> List() => Registry.ListAsync(GrainId);

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        var silo = local.IsKnown ? local.Address.ToString() : "single";
        return probe.Receive(new ReceivedTick(GrainId.Key, reminderName, status, silo));
    }
}

/// <summary>A grain without IRemindable: registering a reminder for it must fail.</summary>
public interface INotRemindableGrain : IGrainWithStringKey
{
    Task Ping();
}

public sealed class NotRemindableGrain : Grain, INotRemindableGrain
{
    public Task Ping() => Task.CompletedTask;
}

public sealed record ReceivedTick(string Key, string Name, TickStatus Status, string Silo);

/// <summary>What the probe grains received (one per test silo or cluster), and failures to inject.</summary>
public sealed class ReminderProbe
{
    private int _failuresLeft;

    public ConcurrentQueue<ReceivedTick> Received { get; } = new();

    /// <summary>Every attempt, failed or not.</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    private int _attempts;

    public void FailNext(int count) => Volatile.Write(ref _failuresLeft, count);

    public IReadOnlyList<ReceivedTick> For(string key) => Received.Where(r => r.Key == key).ToList();

    internal Task Receive(ReceivedTick tick)
    {
        Interlocked.Increment(ref _attempts);
        if (Interlocked.Decrement(ref _failuresLeft) >= 0) throw new InvalidOperationException("injected delivery failure");
        Received.Enqueue(tick);
        return Task.CompletedTask;
    }
}
