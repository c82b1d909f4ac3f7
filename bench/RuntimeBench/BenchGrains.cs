using System.Text.Json.Serialization;
using OpenClaw.Runtime;

namespace OpenClaw.Bench.Runtime;

public interface IPingGrain : IGrainWithStringKey
{
    Task<int> Ping(int value);
}

public interface IStatefulBenchGrain : IGrainWithStringKey
{
    Task<int> Touch();
}

public sealed class PingGrain : Grain, IPingGrain
{
    public Task<int> Ping(int value) => Task.FromResult(value + 1);
}

public sealed class StatefulBenchGrain([PersistentState("small")] IPersistentState<SmallState> state) : Grain, IStatefulBenchGrain
{
    public Task<int> Touch() => Task.FromResult(state.State.Counter);
}

public sealed class SmallState
{
    public int Counter { get; set; }
    public string Name { get; set; } = "";
}

[JsonSerializable(typeof(SmallState))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
