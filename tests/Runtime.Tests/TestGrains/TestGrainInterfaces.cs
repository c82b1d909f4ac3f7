using System.Text.Json.Serialization;
using OpenClaw.Runtime;

namespace OpenClaw.Runtime.Tests.TestGrains;

public interface ICounterGrain : IGrainWithStringKey
{
    Task<int> Increment();
    Task<int> Get();
    Task Fail(string message);
    Task<Bag> Mutate(Bag bag);
    Task DeactivateWhenIdle();
    Task KeepAliveFor(TimeSpan duration);
    Task Pin(bool pinned);
}

/// <summary>Records the order calls ran in and lets a test hold a turn open.</summary>
public interface ISequenceGrain : IGrainWithStringKey
{
    Task Record(int value);
    Task<List<int>> Recorded();

    /// <summary>Holds its turn until the test releases the gate named <paramref name="gate"/>.</summary>
    Task<string> Hold(string gate);

    Task<string> Quick(string tag);

    [AlwaysInterleave]
    Task<string> Peek(string tag);
}

public interface IStatefulGrain : IGrainWithStringKey
{
    Task<int> Add(string item);
    Task<List<string>> Items();
    Task<int> Etag();
    Task Save();
    Task Clear();
}

public interface IFailingActivationGrain : IGrainWithStringKey
{
    Task<string> Ping();
}

public interface ITimerGrain : IGrainWithStringKey
{
    Task Start(TimeSpan period, bool keepAlive);
    Task<int> Ticks();
}

public interface IGatedTimerGrain : IGrainWithStringKey
{
    Task Start(TimeSpan period);

    /// <summary>Runs beside a held tick; answers after every tick that was queued before it has started.</summary>
    [AlwaysInterleave]
    Task<int> Ticks();
}

public interface IShortLivedGrain : IGrainWithStringKey
{
    Task<string> Ping();
}

public interface IPublisherGrain : IGrainWithStringKey
{
    Task Subscribe(string id, INumberObserver observer);
    Task<int> Publish(int value);
    Task<int> SubscriberCount();
}

public interface INumberObserver : IGrainObserver
{
    void OnNumber(int value);
}

public interface IUnimplementedGrain : IGrainWithStringKey
{
    Task Nothing();
}

public interface INotSerializableGrain : IGrainWithStringKey
{
    Task Take(Unregistered value);
}

public sealed class Bag
{
    public List<string> Items { get; set; } = [];
}

public sealed class Unregistered
{
    public int Value { get; set; }
}

public sealed class StatefulState
{
    public List<string> Items { get; set; } = [];
}

[JsonSerializable(typeof(Bag))]
[JsonSerializable(typeof(StatefulState))]
[JsonSerializable(typeof(List<int>))]
internal sealed partial class TestGrainsJsonContext : JsonSerializerContext;
